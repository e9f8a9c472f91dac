/**
 * Route exchange between nodes (docs/acip-v0.md §12): the control channel's packets (OPEN, UPDATE, NOTIFICATION),
 * a session per neighbour, and the table of every candidate route, which feeds the node's route table.
 */
package io.acip.control;
