package io.fidelis.members.adapter.out.tasks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

import io.fidelis.members.application.ListenerBacklog;

/**
 * The queue of the application's task executor, where Spring Modulith's asynchronous module
 * listeners wait for a thread. With another executor (virtual threads, say) nothing queues, and
 * the backlog reads zero.
 */
@Component
class QueuedListenerWork implements ListenerBacklog {

	private final ObjectProvider<ThreadPoolTaskExecutor> executors;

	QueuedListenerWork(ObjectProvider<ThreadPoolTaskExecutor> executors) {
		this.executors = executors;
	}

	@Override
	public int queued() {
		ThreadPoolTaskExecutor executor = executors.getIfUnique();
		return executor == null ? 0 : executor.getQueueSize();
	}
}
