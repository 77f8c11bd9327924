package io.fidelis.points.adapter.in.schedule;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.SettlingAccounts;

/**
 * One thread that settles answered changes in batches: a batch holds whatever queued while the
 * previous one was written, and what joins its first account within
 * {@code fidelis.points.settle-gather} (20 ms), so the busier the ledger, the fewer writes per
 * movement. Each batch costs about twenty store commands however many accounts it holds (history,
 * due days, its events, the journals dropped, and every module listener's own writes): settled as
 * fast as possible, a busy node settled a handful of accounts per batch and spent most of its store
 * commands there. The answers never wait for it; history, events and live balances follow the
 * answer by up to that much more. On a clean stop it settles everything still owed before the store
 * closes; after a crash, the clockwork's leftover sweep finds the journals instead.
 */
@Component
class SettlementRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SettlementRelay.class);
	static final int BATCH = 256;
	private static final Duration DRAIN_AT_STOP = Duration.ofSeconds(10);

	private final MovingPoints moving;
	private final SettlingAccounts settling;
	private final Duration gather;
	private volatile Thread worker;

	SettlementRelay(MovingPoints moving, SettlingAccounts settling,
			@org.springframework.beans.factory.annotation.Value("${fidelis.points.settle-gather:20ms}") Duration gather) {
		this.moving = moving;
		this.settling = settling;
		if (gather.isNegative() || gather.compareTo(Duration.ofSeconds(1)) > 0) {
			throw new IllegalArgumentException("fidelis.points.settle-gather is between 0 and 1s, not " + gather);
		}
		this.gather = gather;
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "points-settlement");
		thread.setDaemon(true);
		worker = thread;
		thread.start();
	}

	private void run() {
		long backoff = 0;
		while (worker == Thread.currentThread()) {
			try {
				moving.settleOwed(BATCH, Duration.ofMillis(500), gather);
				backoff = 0;
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// the store is away: what was owed is still journalled and queued again
				backoff = Math.min(5_000, Math.max(50, backoff * 2));
				log.warn("Settling points failed ({}); retrying in {} ms", e.toString(), backoff);
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException stop) {
					return;
				}
			}
		}
	}

	/** Stops after the web server (a lower phase stops later), so nothing new is owed meanwhile. */
	@Override
	public void stop() {
		Thread thread = worker;
		worker = null;
		if (thread == null) {
			return;
		}
		try {
			// not interrupted: an interrupt inside the driver would cut its connection mid-batch
			// (safe, but noisy); the worker notices within its half-second wait
			thread.join(DRAIN_AT_STOP.toMillis());
			Instant until = Instant.now().plus(DRAIN_AT_STOP);
			while (settling.owing() > 0 && Instant.now().isBefore(until)) {
				moving.settleOwed(BATCH, Duration.ZERO);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException e) {
			log.warn("Could not settle {} accounts before stopping; they settle after the next start",
					settling.owing(), e);
		}
	}

	@Override
	public boolean isRunning() {
		return worker != null;
	}

	@Override
	public int getPhase() {
		return 0;
	}
}
