package io.fidelis.bootstrap.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.modulith.events.support.CompletionMode;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring Modulith's MongoDB event publication registry, writing in batches. The stock repository
 * costs two writes per listener per event: a save when the event is published and a delete (by
 * a query the embedded store can only answer by scanning) when its listener is done. Here:
 * <ul>
 * <li>the publications of one transaction are inserted together, in one write just before it
 * commits, so its listeners, which run after the commit, always find them. Fidelis opens no
 * MongoDB transaction (see {@code StorageConfiguration#transactionManager}), so the transaction's
 * other writes are durable before its publications are: code that must not write past an event before
 * the event is stored flushes the transaction first ({@code TransactionSynchronizationUtils.triggerFlush()}),
 * which inserts what is pending at once;</li>
 * <li>completed publications are removed by {@code _id}, many at a time, by one thread that
 * takes whatever completed while it was writing. A crash before the removal leaves the
 * publication incomplete, so it is handed to its listener again after restart: listeners count
 * an event once, so that costs work, not correctness.</li>
 * </ul>
 * Publications still queued for their listener on this node are not handed to it again by the
 * stalled-event retry, and the retry reads the registry only when something may have stalled
 * (see {@link #findIncompletePublicationsPublishedBefore}). Documents keep the stock repository's format (a test compares them), so everything else,
 * reading, resubmitting and the other completion modes, stays the stock repository's.
 */
final class BatchedEventPublications implements EventPublicationRepository, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BatchedEventPublications.class);

	/** The stock repository's collection and document type. */
	static final String COLLECTION = "event_publication";
	static final String STOCK_TYPE = "org.springframework.modulith.events.mongodb.MongoDbEventPublication";
	private static final int MOST_REMOVED_AT_ONCE = 1_000;

	private final EventPublicationRepository stock;
	private final MongoTemplate template;
	private final CompletionMode mode;
	private final LinkedBlockingQueue<UUID> completed = new LinkedBlockingQueue<>();
	/**
	 * Publications this node stored whose listener has not finished: queued behind others under
	 * load, not stalled, so they are not handed to their listener a second time (which doubled
	 * the work exactly when there was most of it). Past {@link #IN_FLIGHT_AT_MOST} they count as
	 * stalled after all.
	 */
	private final Map<UUID, Instant> inFlight = new ConcurrentHashMap<>();
	static final Duration IN_FLIGHT_AT_MOST = Duration.ofMinutes(10);
	private static final Duration REMOVED_KEPT = Duration.ofMinutes(1);
	private final java.util.Queue<Removal> removed = new java.util.concurrent.ConcurrentLinkedQueue<>();
	private volatile Thread remover;
	/** When the store was last asked for stalled publications; null before the first look. */
	private volatile Instant lastLook;
	/**
	 * Until a look has asked for everything published before this node started, the next retry
	 * looks again: a look only takes publications older than the retry's age (30 s), so the first
	 * look after a quick restart missed those of the crash's last seconds, which then waited for
	 * the sweep (5 minutes; KillNineTest timed out on them once).
	 */
	private volatile boolean startCovered;
	private final Instant started = Instant.now();
	private final java.util.concurrent.atomic.AtomicBoolean failedSinceLook = new java.util.concurrent.atomic.AtomicBoolean();
	private final Duration sweepEvery;

	BatchedEventPublications(EventPublicationRepository stock, MongoTemplate template, CompletionMode mode,
			Duration sweepEvery) {
		this.stock = stock;
		this.template = template;
		this.mode = mode;
		this.sweepEvery = sweepEvery;
	}

	/**
	 * Per listener, this node's publications not completed yet and since when: the backlog an
	 * operator watches ({@code fidelis_events_waiting}, {@code fidelis_events_oldest_seconds}).
	 * Publications left by an earlier process and handed again are not in it.
	 */
	private final Map<String, Map<UUID, Instant>> waiting = new ConcurrentHashMap<>();
	private final Map<UUID, String> listenerOf = new ConcurrentHashMap<>();
	private volatile java.util.function.Consumer<String> onNewListener = l -> {
	};

	/** Hands every listener seen so far, and each new one as it appears, to {@code each}. */
	synchronized void eachListener(java.util.function.Consumer<String> each) {
		java.util.function.Consumer<String> before = onNewListener;
		onNewListener = before.andThen(each);
		waiting.keySet().forEach(each);
	}

	/** The listeners seen so far. */
	java.util.Set<String> listeners() {
		return java.util.Set.copyOf(waiting.keySet());
	}

	/** This node's publications for {@code listener} not completed yet. */
	int waiting(String listener) {
		return waiting.getOrDefault(listener, Map.of()).size();
	}

	/** How long the oldest of them has waited, in seconds; 0 when none waits. */
	double oldestSeconds(String listener) {
		return waiting.getOrDefault(listener, Map.of()).values().stream().min(Instant::compareTo)
				.map(since -> Duration.between(since, Instant.now()).toMillis() / 1000.0).orElse(0.0);
	}

	/** A listener id as a tag: module, class and method with the event's simple name ("reporting.ModuleEvents.on(PointsSettled)"). */
	static String listenerTag(String id) {
		String shortened = id.replaceAll("(?<![A-Za-z0-9_$])[a-z][a-z0-9_]*\\.", "");
		String module = id.startsWith("io.fidelis.") ? id.substring("io.fidelis.".length()).split("\\.")[0] + "." : "";
		return module + shortened;
	}

	private void awaited(UUID identifier, String listenerId) {
		String listener = listenerTag(listenerId);
		listenerOf.put(identifier, listener);
		Map<UUID, Instant> ofListener = waiting.get(listener);
		if (ofListener == null) {
			ofListener = waiting.computeIfAbsent(listener, l -> new ConcurrentHashMap<>());
			onNewListener.accept(listener);
		}
		ofListener.put(identifier, Instant.now());
	}

	private void done(UUID identifier) {
		String listener = listenerOf.remove(identifier);
		if (listener != null) {
			waiting.get(listener).remove(identifier);
		}
	}

	@Override
	public TargetEventPublication create(TargetEventPublication publication) {
		inFlight.put(publication.getIdentifier(), Instant.now());
		awaited(publication.getIdentifier(), publication.getTargetIdentifier().getValue());
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return stock.create(publication);
		}
		Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
		if (pending == null) {
			pending = new Pending();
			TransactionSynchronizationManager.bindResource(this, pending);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		// an event goes to each of its listeners: it is converted for the first one only
		Object event = publication.getEvent();
		Document document = document(publication, pending.events.get(event));
		pending.events.putIfAbsent(event, document.get("event"));
		pending.documents.add(document);
		pending.identifiers.add(publication.getIdentifier());
		return publication;
	}

	/** The stock repository's document for {@code publication}. */
	Document document(TargetEventPublication publication) {
		return document(publication, null);
	}

	/**
	 * The stock repository's document for {@code publication}, taking its event as converted
	 * before ({@code convertedEvent}) when given.
	 */
	private Document document(TargetEventPublication publication, Object convertedEvent) {
		Document written = new Document();
		template.getConverter().write(new StockPublication(publication.getIdentifier(),
				publication.getPublicationDate(), publication.getTargetIdentifier().getValue(),
				convertedEvent == null ? publication.getEvent() : null, publication.getLastResubmissionDate(),
				publication.getCompletionAttempts(), publication.getCompletionDate().orElse(null),
				publication.getStatus()), written);
		Document document = written;
		if (convertedEvent != null) {
			// in the stock field order: the event follows its listener's id
			document = new Document();
			for (Map.Entry<String, Object> field : written.entrySet()) {
				document.put(field.getKey(), field.getValue());
				if (field.getKey().equals("listenerId")) {
					document.put("event", convertedEvent);
				}
			}
			document.putIfAbsent("event", convertedEvent);
		}
		document.put("_class", STOCK_TYPE);
		return document;
	}

	/** A transaction's publications, inserted in one write just before it commits. */
	private final class Pending implements TransactionSynchronization {
		final List<Document> documents = new ArrayList<>();
		final List<UUID> identifiers = new ArrayList<>();
		/** Each event's converted form, by identity: shared by its listeners' publications. */
		final Map<Object, Object> events = new java.util.IdentityHashMap<>();

		/** Also when the transaction is flushed: code that writes past its events (settling drops a journal) flushes first. */
		@Override
		public void flush() {
			if (!documents.isEmpty()) {
				template.insert(List.copyOf(documents), COLLECTION);
				documents.clear();
				events.clear();
			}
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			flush();
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(BatchedEventPublications.this);
			if (status != STATUS_COMMITTED) {
				identifiers.forEach(inFlight::remove);
				identifiers.forEach(BatchedEventPublications.this::done);
			}
		}
	}

	/** Field for field what the stock repository stores (its own type is not public). */
	record StockPublication(UUID id, Instant publicationDate, String listenerId, Object event,
			Instant lastResubmissionDate, int completionAttempts, Instant completionDate,
			EventPublication.Status status) {
	}

	@Override
	public void markCompleted(UUID identifier, Instant completionDate) {
		done(identifier);
		// stays in flight until it is removed: until then the store still shows it incomplete, and
		// the stalled-event retry would hand it to its listener again
		if (mode == CompletionMode.DELETE && remover != null) {
			completed.add(identifier);
		}
		else if (mode == CompletionMode.DELETE) {
			removeNow(List.of(identifier));
		}
		else {
			stock.markCompleted(identifier, completionDate);
			inFlight.remove(identifier);
		}
	}

	@Override
	public void markCompleted(TargetEventPublication publication, Instant completionDate) {
		markCompleted(publication.getIdentifier(), completionDate);
	}

	private void removeNow(List<UUID> identifiers) {
		// {_id: {$in: [...]}}: answered from the _id index, never by scanning the registry
		template.remove(Query.query(Criteria.where("_id").in(identifiers)), COLLECTION);
		// kept in flight a while longer: a stalled-event query that read them just before the
		// removal must still not hand them again when it filters its result
		Instant now = Instant.now();
		removed.add(new Removal(List.copyOf(identifiers), now));
		for (Removal oldest = removed.peek(); oldest != null && oldest.at().isBefore(now.minus(REMOVED_KEPT)); oldest = removed.peek()) {
			if (removed.remove(oldest)) {
				oldest.identifiers().forEach(inFlight::remove);
			}
		}
	}

	private record Removal(List<UUID> identifiers, Instant at) {
	}

	private void removeCompleted() {
		List<UUID> batch = new ArrayList<>();
		long backoff = 0;
		while (remover == Thread.currentThread() || !completed.isEmpty()) {
			try {
				if (batch.isEmpty()) {
					UUID first = completed.poll(200, TimeUnit.MILLISECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					completed.drainTo(batch, MOST_REMOVED_AT_ONCE - 1);
				}
				removeNow(batch);
				batch.clear();
				backoff = 0;
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// the store is away: keep the batch and try again; a crash meanwhile only means a redelivery
				backoff = Math.min(5_000, Math.max(50, backoff * 2));
				log.warn("Could not remove {} completed event publications ({}); retrying in {} ms", batch.size(),
						e.toString(), backoff);
				if (remover != Thread.currentThread()) {
					return; // stopping: what is left is handed to its listeners again after restart
				}
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException stop) {
					return;
				}
			}
		}
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::removeCompleted, "event-publication-remover");
		thread.setDaemon(true);
		remover = thread;
		thread.start();
	}

	/** Stops late (phase 0, after the web server and the settling of points), removing what completed by then. */
	@Override
	public void stop() {
		Thread thread = remover;
		remover = null;
		if (thread != null) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return remover != null;
	}

	@Override
	public int getPhase() {
		return -100;
	}

	@Override
	public void markProcessing(UUID identifier) {
		stock.markProcessing(identifier);
	}

	@Override
	public void markCompleted(Object event, PublicationTargetIdentifier identifier, Instant completionDate) {
		stock.markCompleted(event, identifier, completionDate);
	}

	/** As the stock repository, by {@code _id} alone: its extra condition on the status makes the embedded store scan. */
	@Override
	public void markFailed(UUID identifier) {
		failedSinceLook.set(true);
		inFlight.remove(identifier);
		template.updateFirst(byId(identifier), Update.update("status", EventPublication.Status.FAILED), COLLECTION);
	}

	/**
	 * Claims a publication for handing again: true for the one caller that moved it to
	 * RESUBMITTED, as the stock repository answers, but by {@code _id} alone (the stock query's
	 * condition on the status makes the embedded store scan). The write is one atomic
	 * find-and-modify that answers the status before it; a caller that lost the race to another
	 * node has counted one more attempt, which is all it changed.
	 */
	@Override
	public boolean markResubmitted(UUID identifier, Instant resubmissionDate) {
		Document before = template.findAndModify(byId(identifier), new Update()
				.set("status", EventPublication.Status.RESUBMITTED).inc("completionAttempts", 1)
				.set("lastResubmissionDate", resubmissionDate), Document.class, COLLECTION);
		return before != null && !EventPublication.Status.RESUBMITTED.name().equals(before.get("status"));
	}

	private static Query byId(UUID identifier) {
		return Query.query(Criteria.where("_id").is(identifier));
	}

	@Override
	public List<TargetEventPublication> findIncompletePublications() {
		return stock.findIncompletePublications();
	}

	/**
	 * The stalled publications, for handing again. The store can answer this only by reading the
	 * whole registry, so it is asked only when something may have stalled: after start until a
	 * look took everything published before it (what a crash left behind), after a listener failed here, when a publication
	 * stored here stayed in flight past {@link #IN_FLIGHT_AT_MOST}, and otherwise every
	 * {@code sweepEvery}, for what another node left behind when it crashed. In between, with
	 * every listener keeping up, the answer is known without asking: nothing has stalled.
	 */
	@Override
	public List<TargetEventPublication> findIncompletePublicationsPublishedBefore(Instant instant) {
		Instant now = Instant.now();
		Instant givenUpOn = now.minus(IN_FLIGHT_AT_MOST);
		boolean givenUp = inFlight.values().removeIf(since -> since.isBefore(givenUpOn));
		Instant last = lastLook;
		if (!givenUp && !failedSinceLook.get() && startCovered && last != null && now.isBefore(last.plus(sweepEvery))) {
			return List.of();
		}
		failedSinceLook.set(false); // a failure from here on is seen by the next look
		try {
			List<TargetEventPublication> stalled = stock.findIncompletePublicationsPublishedBefore(instant).stream()
					.filter(p -> !inFlight.containsKey(p.getIdentifier())).toList();
			lastLook = now;
			startCovered |= !instant.isBefore(started);
			return stalled;
		}
		catch (RuntimeException e) {
			failedSinceLook.set(true); // not looked after all: look again next time
			throw e;
		}
	}

	@Override
	public Optional<TargetEventPublication> findIncompletePublicationsByEventAndTargetIdentifier(Object event,
			PublicationTargetIdentifier targetIdentifier) {
		return stock.findIncompletePublicationsByEventAndTargetIdentifier(event, targetIdentifier);
	}

	@Override
	public List<TargetEventPublication> findCompletedPublications() {
		return stock.findCompletedPublications();
	}

	@Override
	public void deletePublications(List<UUID> identifiers) {
		stock.deletePublications(identifiers);
	}

	@Override
	public void deleteCompletedPublications() {
		stock.deleteCompletedPublications();
	}

	@Override
	public void deleteCompletedPublicationsBefore(Instant instant) {
		stock.deleteCompletedPublicationsBefore(instant);
	}

	@Override
	public List<TargetEventPublication> findFailedPublications(FailedCriteria criteria) {
		return stock.findFailedPublications(criteria);
	}

	@Override
	public List<TargetEventPublication> findByStatus(EventPublication.Status status) {
		return stock.findByStatus(status);
	}

	@Override
	public int countByStatus(EventPublication.Status status) {
		return stock.countByStatus(status);
	}
}
