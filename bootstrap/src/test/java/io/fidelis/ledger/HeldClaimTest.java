package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.fidelis.members.MemberId;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.RequestLog;

/**
 * A request that claimed its key and was then held up (a pause, a slow network) while a copy of
 * it, finding the claim in place, went on, was applied and settled out of the journal: the held
 * request must answer the copy's result, not apply itself again. Made deterministic by holding
 * the first call right after its claim is inserted.
 */
@Import(HeldClaimTest.Holding.class)
class HeldClaimTest extends LedgerFixture {

	@Autowired
	HeldClaims claims;
	@Autowired
	AccountStore accounts;

	HeldClaimTest() {
		super("held-claim");
	}

	@Test
	void aCopyAppliedWhileTheClaimantWasHeldIsWhatTheClaimantAnswers() throws Exception {
		String member = member();
		moving.move(POS, new Movement.Earn(member, 1_000L, null, null, TILL, "tx-1", UUID.randomUUID().toString()), false);
		String key = UUID.randomUUID().toString();
		Movement redeem = new Movement.Redeem(member, 100, TILL, "reward", null, key);
		AtomicReference<Moved> copy = new AtomicReference<>();
		claims.whenInserted(() -> {
			// the claimant holds its claim; a copy of its request runs to the end meanwhile
			copy.set(pool.submit(() -> moving.move(POS, redeem, false)).get());
			await().atMost(Duration.ofSeconds(10))
					.until(() -> accounts.find(member).orElseThrow().journal().isEmpty());
		});

		Moved held = moving.move(POS, redeem, false);

		assertThat(copy.get()).isInstanceOf(Moved.Done.class);
		assertThat(((Moved.Done) copy.get()).replayed()).isFalse();
		assertThat(held).isInstanceOf(Moved.Done.class);
		assertThat(((Moved.Done) held).replayed()).isTrue();
		assertThat(((Moved.Done) held).entry()).isEqualTo(((Moved.Done) copy.get()).entry());
		assertThat(reading.account(new MemberId(member)).orElseThrow().available()).isEqualTo(900);
	}

	/** The request log, able to hold the next call whose claim it inserted. */
	static final class HeldClaims implements RequestLog {

		private final RequestLog stock;
		private final AtomicReference<ThrowingRunnable> hold = new AtomicReference<>();

		HeldClaims(RequestLog stock) {
			this.stock = stock;
		}

		void whenInserted(ThrowingRunnable meanwhile) {
			hold.set(meanwhile);
		}

		@Override
		public Claim claim(String key, String fingerprint, String memberId, long from) {
			Claim claim = stock.claim(key, fingerprint, memberId, from);
			ThrowingRunnable meanwhile = claim.inserted() ? hold.getAndSet(null) : null;
			if (meanwhile != null) {
				try {
					meanwhile.run();
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			}
			return claim;
		}

		@Override
		public void recordRefusal(String key, Result refusal) {
			stock.recordRefusal(key, refusal);
		}

		@Override
		public Optional<Claim> find(String key) {
			return stock.find(key);
		}
	}

	interface ThrowingRunnable {
		void run() throws Exception;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Holding {
		@Bean
		@Primary
		HeldClaims heldClaims(@Qualifier("mongoRequestLog") RequestLog stock) {
			return new HeldClaims(stock);
		}
	}
}
