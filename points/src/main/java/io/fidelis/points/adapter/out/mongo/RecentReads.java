package io.fidelis.points.adapter.out.mongo;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Values read lately, kept on this node per key for a while: configuration that every request
 * needs and staff change rarely (a program's rules, its stores, partners and category rates), so
 * that a busy program's is read about once per {@code rememberFor} rather than once per request.
 * A change written through this node is seen at once: {@link #changed} forgets the key, and a
 * change counter keeps a read that began before the write from being remembered after it. A
 * change made on another node is seen once what was remembered is {@code rememberFor} old.
 * Absent values are not remembered: they are read again every time.
 */
final class RecentReads<V> {

	private record Remembered<V>(V value, long readAt) {
	}

	private final Map<String, Remembered<V>> recent = new ConcurrentHashMap<>();
	private final AtomicLong changes = new AtomicLong();
	private final long rememberFor;
	private final LongSupplier ticker;

	/** @param ticker nanoseconds, as {@link System#nanoTime()} (tests move it by hand) */
	RecentReads(long rememberForNanos, LongSupplier ticker) {
		this.rememberFor = rememberForNanos;
		this.ticker = ticker;
	}

	/** What was read lately for {@code key}, or what {@code read} finds now (remembered if present). */
	Optional<V> get(String key, Function<String, Optional<V>> read) {
		long now = ticker.getAsLong();
		Remembered<V> remembered = recent.get(key);
		if (remembered != null && now - remembered.readAt() < rememberFor) {
			return Optional.of(remembered.value());
		}
		return readNow(key, read, now);
	}

	/** Reads {@code key} now, whatever is remembered, and remembers what it found. */
	Optional<V> fresh(String key, Function<String, Optional<V>> read) {
		return readNow(key, read, ticker.getAsLong());
	}

	private Optional<V> readNow(String key, Function<String, Optional<V>> read, long now) {
		long changesBefore = changes.get();
		Optional<V> found = read.apply(key);
		if (found.isPresent() && changes.get() == changesBefore) {
			recent.put(key, new Remembered<>(found.get(), now));
		}
		return found;
	}

	/** To be called after a change of {@code key} was written: nothing older is kept, nor read before it. */
	void changed(String key) {
		changes.incrementAndGet();
		recent.remove(key);
	}
}
