package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The manager for a store without sessions: after-commit work runs when its own transaction
 * completes, also for a new transaction begun inside another (a listener that counts a batch in
 * its own transaction), and the outer one goes on afterwards.
 */
class SynchronizationOnlyTransactionManagerTest {

	final SynchronizationOnlyTransactionManager manager = new SynchronizationOnlyTransactionManager();
	final List<String> happened = new ArrayList<>();

	TransactionTemplate template(int propagation) {
		TransactionTemplate template = new TransactionTemplate(manager);
		template.setPropagationBehavior(propagation);
		return template;
	}

	void afterCommit(String what) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				happened.add(what);
			}
		});
	}

	@Test
	void a_new_transaction_inside_another_commits_first_and_the_outer_one_goes_on() {
		template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(outer -> {
			afterCommit("outer");
			template(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(inner -> afterCommit("inner"));
			assertThat(happened).containsExactly("inner");
			afterCommit("outer, later");
			template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(joined -> afterCommit("joined"));
			assertThat(happened).as("a joined transaction commits with the outer one").containsExactly("inner");
		});
		assertThat(happened).containsExactly("inner", "outer", "outer, later", "joined");
		assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
		assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isFalse();
	}

	@Test
	void a_rolled_back_transaction_runs_no_after_commit_work() {
		template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(outer -> {
			template(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(inner -> {
				afterCommit("inner");
				inner.setRollbackOnly();
			});
			afterCommit("outer");
		});
		assertThat(happened).containsExactly("outer");
		assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
	}
}
