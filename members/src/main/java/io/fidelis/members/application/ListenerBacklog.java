package io.fidelis.members.application;

/**
 * How much module-listener work is queued on this node and not begun. An import enrolls faster
 * than the other modules can hear of it; it paces itself on this, so that the queue, held in
 * memory until the listeners run, stays small however large the file.
 */
public interface ListenerBacklog {

	/** Listener invocations waiting for a thread. */
	int queued();
}
