package io.fidelis.bootstrap.storage;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What the embedded store does, for operators and the benchmarks: changes logged, disk syncs
 * (each one shared by every writer waiting at that moment) and their time, log and file sizes,
 * checkpoints, and, per collection, commands served, documents changed and expired, and queries answered by scanning it. In steady state the
 * scan counts stay still; a growing one names a query that reads by something other than a key.
 */
final class StoreMetrics implements MeterBinder {

	private final DurableMemoryBackend store;

	StoreMetrics(DurableMemoryBackend store) {
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		store.onNewNamespace(namespace -> {
			// read at scrape time: this runs while the namespace's scan counter is being created
			FunctionCounter.builder("fidelis.store.scans", store, s -> s.scans().getOrDefault(namespace, 0L))
					.description("Queries the embedded store answered by reading a whole collection")
					.tag("collection", namespace).register(registry);
			FunctionCounter.builder("fidelis.store.changes", store.changesOf(namespace), LongAdder::sum)
					.description("Documents the embedded store wrote or removed (each one logged when durable)")
					.tag("collection", namespace).register(registry);
			FunctionCounter.builder("fidelis.store.expired", store.expiredOf(namespace), LongAdder::sum)
					.description("Documents the embedded store removed because their TTL index said they had expired")
					.tag("collection", namespace).register(registry);
		});
		store.onNewCommand((namespace, command) -> FunctionCounter
				.builder("fidelis.store.commands", command.served(), LongAdder::sum)
				.description("Commands the embedded store served: reads and writes, by collection and command")
				.tag("collection", namespace.isEmpty() ? "none" : namespace).tag("command", command.name())
				.register(registry));
		WriteAheadLog log = store.log();
		if (log == null) {
			return;
		}
		FunctionCounter.builder("fidelis.store.log.records", log, WriteAheadLog::records)
				.description("Document changes written to the embedded store's log").register(registry);
		FunctionCounter.builder("fidelis.store.log.syncs", log, WriteAheadLog::syncs)
				.description("Disk syncs of the log; each makes every change waiting at that moment durable")
				.register(registry);
		FunctionCounter.builder("fidelis.store.log.sync.seconds", log, WriteAheadLog::syncSeconds)
				.description("Time spent in disk syncs of the log").baseUnit("seconds").register(registry);
		FunctionCounter.builder("fidelis.store.log.written", log, WriteAheadLog::bytesWritten)
				.description("Bytes written to the log").baseUnit("bytes").register(registry);
		FunctionCounter.builder("fidelis.store.checkpoints", store, DurableMemoryBackend::checkpointsWritten)
				.description("Checkpoints written (each lets the log before it go)").register(registry);
		Gauge.builder("fidelis.store.disk", store, DurableMemoryBackend::bytesOnDisk)
				.description("Bytes the store's log and checkpoints take on disk").baseUnit("bytes").register(registry);
	}
}
