/**
 * The admin plane (DESIGN §7): the listener operators and local tools use to read metrics and routes and to attach
 * agents at run time, who may use it (a bearer token, a client certificate, or only this host), what a request
 * must look like (JSON bodies, listed browser origins), and where run-time agents may point the gateway.
 */
package io.acip.gateway.admin;
