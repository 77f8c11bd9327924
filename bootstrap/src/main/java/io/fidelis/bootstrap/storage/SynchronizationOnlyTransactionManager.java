package io.fidelis.bootstrap.storage;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A transaction manager for a server without sessions: it opens no database transaction, but it
 * drives Spring's transaction synchronization so that transactional event listeners (and so
 * {@code @ApplicationModuleListener}s) fire after the use case completes instead of being dropped.
 * Correctness then rests on single-document atomic writes and idempotent listeners.
 */
final class SynchronizationOnlyTransactionManager extends AbstractPlatformTransactionManager {

	private final Object marker = new Object();

	SynchronizationOnlyTransactionManager() {
		setTransactionSynchronization(SYNCHRONIZATION_ALWAYS);
	}

	@Override
	protected Object doGetTransaction() {
		return new Scope(TransactionSynchronizationManager.hasResource(this));
	}

	@Override
	protected boolean isExistingTransaction(Object transaction) {
		return ((Scope) transaction).joined;
	}

	@Override
	protected void doBegin(Object transaction, TransactionDefinition definition) {
		TransactionSynchronizationManager.bindResource(this, marker);
		((Scope) transaction).begun = true;
	}

	@Override
	protected Object doSuspend(Object transaction) {
		return TransactionSynchronizationManager.unbindResource(this);
	}

	@Override
	protected void doResume(Object transaction, Object suspendedResources) {
		TransactionSynchronizationManager.bindResource(this, suspendedResources);
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		// nothing to commit: every write was already acknowledged (and made durable) by the server
	}

	@Override
	protected void doRollback(DefaultTransactionStatus status) {
		// nothing to undo: writes without a transaction cannot be rolled back
	}

	/** Unbinds what this transaction bound: also a new one begun inside another (REQUIRES_NEW), whose outer one is resumed next. */
	@Override
	protected void doCleanupAfterCompletion(Object transaction) {
		if (((Scope) transaction).begun) {
			TransactionSynchronizationManager.unbindResourceIfPossible(this);
		}
	}

	/** @param joined a transaction was in progress when this one was asked for */
	private static final class Scope {
		final boolean joined;
		boolean begun;

		Scope(boolean joined) {
			this.joined = joined;
		}
	}
}
