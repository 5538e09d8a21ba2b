package io.pgforce.database;

/**
 * The notification listener has (re)connected. Notifications sent while it was away are lost, so
 * whoever relies on them should rescan.
 */
public record ListenerConnected() {
}
