package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;
import org.springframework.transaction.support.TransactionTemplate;

import io.fidelis.FidelisApplication;
import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;

/**
 * Module events on the embedded store: a transaction's publications are written together when it
 * commits, in the stock repository's format; every publication is removed once its listener ran,
 * by {@code _id}, never by scanning the registry.
 */
@SpringBootTest(classes = FidelisApplication.class, properties = { "fidelis.mongodb.embedded.in-memory=true",
		"fidelis.mongodb.embedded.port=0", "fidelis.events.retry-every=PT1H" })
class BatchedEventPublicationsTest {

	static final Caller POS = new Caller.IntegrationClient("pos-registry", Set.of("members:write"));

	@Autowired
	EventPublicationRepository repository;
	@Autowired
	@Qualifier("mongoDbEventPublicationRepository")
	EventPublicationRepository stock;
	@Autowired
	PlatformTransactionManager transactions;
	@Autowired
	StorageConfiguration.EmbeddedMongo embedded;
	@Autowired
	MongoTemplate mongo;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	EnrollingMembers enrolling;

	@Test
	void publications_are_completed_by_id_without_scanning_the_registry() {
		assertThat(repository).isInstanceOf(BatchedEventPublications.class);
		ProgramId program = new ProgramId("registry");
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, "Registry", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		await().atMost(Duration.ofSeconds(30)).until(() -> mongo.getCollection(BatchedEventPublications.COLLECTION)
				.estimatedDocumentCount() == 0);
		long scansBefore = scansOfRegistry();

		for (int i = 0; i < 5; i++) {
			enrolling.enroll(POS, new EnrollMember(program, new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann",
					null, false, "v1", UUID.randomUUID().toString()));
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> mongo.getCollection(BatchedEventPublications.COLLECTION)
				.estimatedDocumentCount() == 0);
		assertThat(scansOfRegistry()).isEqualTo(scansBefore);
	}

	record Sample(String name, int count, Instant at) {
	}

	static TargetEventPublication publication(String name) {
		return TargetEventPublication.of(new Sample(name, 3, Instant.parse("2026-12-04T10:15:30.123Z")),
				PublicationTargetIdentifier.of("io.fidelis.test.Listener.on(Sample)"));
	}

	@Test
	void each_listeners_backlog_is_counted_until_its_events_are_completed() {
		BatchedEventPublications registry = (BatchedEventPublications) repository;
		String listener = "test.Backlog.on(Sample)";
		TargetEventPublication first = TargetEventPublication.of(new Sample("a", 1, Instant.now()),
				PublicationTargetIdentifier.of("io.fidelis.test.Backlog.on(io.fidelis.test.Sample)"));
		TargetEventPublication second = TargetEventPublication.of(new Sample("b", 1, Instant.now()),
				PublicationTargetIdentifier.of("io.fidelis.test.Backlog.on(io.fidelis.test.Sample)"));
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		registry.eachListener(seen::add);
		registry.create(first);
		registry.create(second);
		assertThat(seen).contains(listener);
		assertThat(registry.waiting(listener)).isEqualTo(2);
		assertThat(registry.oldestSeconds(listener)).isGreaterThanOrEqualTo(0.0);
		registry.markCompleted(first.getIdentifier(), Instant.now());
		assertThat(registry.waiting(listener)).isEqualTo(1);
		registry.markCompleted(second.getIdentifier(), Instant.now());
		assertThat(registry.waiting(listener)).isZero();
		assertThat(registry.oldestSeconds(listener)).isZero();
		assertThat(BatchedEventPublications.listenerTag(
				"io.fidelis.reporting.adapter.in.events.ModuleEvents.on(io.fidelis.points.PointsSettled)"))
				.isEqualTo("reporting.ModuleEvents.on(PointsSettled)");
	}

	@Test
	void a_publication_is_stored_field_for_field_as_the_stock_repository_stores_it() {
		TargetEventPublication byStock = publication("stock");
		stock.create(byStock);
		Document stored = mongo.getCollection(BatchedEventPublications.COLLECTION)
				.find(new Document("_id", byStock.getIdentifier())).first();

		assertThat(((BatchedEventPublications) repository).document(byStock)).isEqualTo(stored);
		stock.deletePublications(List.of(byStock.getIdentifier()));
	}

	@Test
	void an_event_heard_by_several_listeners_is_converted_once_and_stored_for_each_as_the_stock_repository_stores_it() {
		Sample event = new Sample("shared", 7, Instant.parse("2026-12-05T08:00:00Z"));
		List<TargetEventPublication> created = List.of(
				TargetEventPublication.of(event, PublicationTargetIdentifier.of("io.fidelis.test.Listener.on(Sample)")),
				TargetEventPublication.of(event, PublicationTargetIdentifier.of("io.fidelis.test.Other.on(Sample)")),
				publication("another event"));
		new TransactionTemplate(transactions).executeWithoutResult(status -> created.forEach(repository::create));

		for (TargetEventPublication p : created) {
			Document stored = mongo.getCollection(BatchedEventPublications.COLLECTION)
					.find(new Document("_id", p.getIdentifier())).first();
			Document asStock = ((BatchedEventPublications) repository).document(p);
			assertThat(stored).isEqualTo(asStock);
			assertThat(List.copyOf(stored.keySet())).as("in the stock field order").containsExactlyElementsOf(asStock.keySet());
		}
		assertThat(stock.findIncompletePublications())
				.filteredOn(p -> created.stream().anyMatch(c -> c.getIdentifier().equals(p.getIdentifier())))
				.extracting(p -> p.getTargetIdentifier().getValue() + " " + p.getEvent())
				.containsExactlyInAnyOrder("io.fidelis.test.Listener.on(Sample) " + event,
						"io.fidelis.test.Other.on(Sample) " + event,
						"io.fidelis.test.Listener.on(Sample) " + created.get(2).getEvent());
		stock.deletePublications(created.stream().map(TargetEventPublication::getIdentifier).toList());
	}

	@Test
	void a_transactions_publications_are_written_together_when_it_commits_and_read_back_by_the_stock_repository() {
		List<TargetEventPublication> created = List.of(publication("a"), publication("b"), publication("c"));
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			created.forEach(repository::create);
			assertThat(stored(created)).isZero(); // not yet: one write at commit
		});
		List<TargetEventPublication> flushed = List.of(publication("flushed"));
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			flushed.forEach(repository::create);
			TransactionSynchronizationUtils.triggerFlush();
			assertThat(stored(flushed)).as("a flush stores what is pending at once").isEqualTo(1);
		});
		assertThat(stored(flushed)).as("and the commit does not store it twice").isEqualTo(1);
		flushed.forEach(p -> repository.markCompleted(p.getIdentifier(), Instant.now()));
		assertThat(stored(created)).isEqualTo(3);
		assertThat(repository.findIncompletePublications())
				.filteredOn(p -> created.stream().anyMatch(c -> c.getIdentifier().equals(p.getIdentifier())))
				.extracting(TargetEventPublication::getEvent)
				.containsExactlyInAnyOrderElementsOf(created.stream().map(TargetEventPublication::getEvent).toList());

		created.forEach(p -> repository.markCompleted(p.getIdentifier(), Instant.now()));
		await().atMost(Duration.ofSeconds(30)).until(() -> stored(created) == 0);
	}

	@Test
	void a_publication_still_queued_here_is_not_handed_again_until_its_listener_failed() {
		TargetEventPublication queued = publication("queued");
		new TransactionTemplate(transactions).executeWithoutResult(status -> repository.create(queued));
		Instant later = Instant.now().plusSeconds(60);
		assertThat(stock.findIncompletePublicationsPublishedBefore(later)).as("incomplete in the store")
				.anyMatch(p -> p.getIdentifier().equals(queued.getIdentifier()));
		assertThat(repository.findIncompletePublicationsPublishedBefore(later)).as("but queued on this node")
				.noneMatch(p -> p.getIdentifier().equals(queued.getIdentifier()));

		repository.markFailed(queued.getIdentifier());

		assertThat(repository.findIncompletePublicationsPublishedBefore(later))
				.anyMatch(p -> p.getIdentifier().equals(queued.getIdentifier()));
		stock.deletePublications(List.of(queued.getIdentifier()));
	}

	/**
	 * The store answers "which publications stalled?" only by reading the whole registry, so the
	 * retry asks it only when something may have stalled: after a failure here, and every
	 * sweep for what another node left behind.
	 */
	@Test
	void the_stalled_event_retry_reads_the_registry_only_when_something_may_have_stalled() {
		Instant later = Instant.now().plusSeconds(60);
		repository.markFailed(UUID.randomUUID()); // whatever looked before: the next call looks
		long before = scansOfRegistry();
		repository.findIncompletePublicationsPublishedBefore(later);
		assertThat(scansOfRegistry()).as("a failure was noted: the store is read").isEqualTo(before + 1);

		repository.findIncompletePublicationsPublishedBefore(later);
		repository.findIncompletePublicationsPublishedBefore(later);
		assertThat(scansOfRegistry()).as("nothing failed since: known without reading").isEqualTo(before + 1);

		TargetEventPublication failing = publication("failing");
		new TransactionTemplate(transactions).executeWithoutResult(status -> repository.create(failing));
		repository.markFailed(failing.getIdentifier());
		assertThat(repository.findIncompletePublicationsPublishedBefore(later))
				.anyMatch(p -> p.getIdentifier().equals(failing.getIdentifier()));
		assertThat(scansOfRegistry()).isEqualTo(before + 2);

		// a node whose sweep is due reads the store although nothing failed on it
		BatchedEventPublications sweeping = new BatchedEventPublications(stock, mongo,
				org.springframework.modulith.events.support.CompletionMode.DELETE, Duration.ZERO);
		assertThat(sweeping.findIncompletePublicationsPublishedBefore(later))
				.anyMatch(p -> p.getIdentifier().equals(failing.getIdentifier()));
		assertThat(sweeping.findIncompletePublicationsPublishedBefore(later))
				.anyMatch(p -> p.getIdentifier().equals(failing.getIdentifier()));
		assertThat(scansOfRegistry()).isEqualTo(before + 4);
		stock.deletePublications(List.of(failing.getIdentifier()));
	}

	/**
	 * A look takes only publications older than the retry's age: after a quick restart, the first
	 * looks miss what the crash's last seconds published, so looks go on until one has taken
	 * everything published before this node started.
	 */
	@Test
	void after_start_the_retry_looks_until_it_has_taken_what_was_published_before_the_start() {
		TargetEventPublication leftBehind = publication("left behind by a crash");
		new TransactionTemplate(transactions).executeWithoutResult(status -> stock.create(leftBehind));
		BatchedEventPublications restarted = new BatchedEventPublications(stock, mongo,
				org.springframework.modulith.events.support.CompletionMode.DELETE, Duration.ofMinutes(5));
		Instant tooEarly = leftBehind.getPublicationDate().minusSeconds(30); // the retry's age not passed yet
		long before = scansOfRegistry();
		assertThat(restarted.findIncompletePublicationsPublishedBefore(tooEarly))
				.noneMatch(p -> p.getIdentifier().equals(leftBehind.getIdentifier()));
		assertThat(restarted.findIncompletePublicationsPublishedBefore(tooEarly)).as("looks again")
				.noneMatch(p -> p.getIdentifier().equals(leftBehind.getIdentifier()));
		assertThat(restarted.findIncompletePublicationsPublishedBefore(Instant.now().plusSeconds(1)))
				.anyMatch(p -> p.getIdentifier().equals(leftBehind.getIdentifier()));
		assertThat(scansOfRegistry()).isEqualTo(before + 3);
		assertThat(restarted.findIncompletePublicationsPublishedBefore(Instant.now().plusSeconds(1)))
				.as("the start is covered: until the sweep, known without reading").isEmpty();
		assertThat(scansOfRegistry()).isEqualTo(before + 3);
		stock.deletePublications(List.of(leftBehind.getIdentifier()));
	}

	@Test
	void a_failed_publication_is_handed_again_once_and_by_id_without_scanning_the_registry() {
		TargetEventPublication failed = publication("failed");
		new TransactionTemplate(transactions).executeWithoutResult(status -> repository.create(failed));
		long scansBefore = scansOfRegistry();

		repository.markFailed(failed.getIdentifier());
		assertThat(storedDocument(failed).get("status")).isEqualTo("FAILED");

		Instant now = Instant.parse("2026-12-04T11:00:00Z");
		assertThat(repository.markResubmitted(failed.getIdentifier(), now)).as("the first claim wins").isTrue();
		assertThat(repository.markResubmitted(failed.getIdentifier(), now)).as("a second one does not").isFalse();
		assertThat(repository.markResubmitted(UUID.randomUUID(), now)).as("nor one for no publication").isFalse();
		Document resubmitted = storedDocument(failed);
		assertThat(resubmitted.get("status")).isEqualTo("RESUBMITTED");
		assertThat(resubmitted.get("lastResubmissionDate")).isEqualTo(java.util.Date.from(now));
		assertThat(scansOfRegistry()).isEqualTo(scansBefore);
		stock.deletePublications(List.of(failed.getIdentifier()));
	}

	@Test
	void a_completed_publication_waiting_for_its_removal_is_not_handed_again() {
		List<TargetEventPublication> done = java.util.stream.IntStream.range(0, 200)
				.mapToObj(i -> publication("done-" + i)).toList();
		new TransactionTemplate(transactions).executeWithoutResult(status -> done.forEach(repository::create));
		Instant later = Instant.now().plusSeconds(60);

		done.forEach(p -> repository.markCompleted(p.getIdentifier(), Instant.now()));

		// removed or still queued for removal: either way not stalled
		assertThat(repository.findIncompletePublicationsPublishedBefore(later))
				.noneMatch(p -> done.stream().anyMatch(d -> d.getIdentifier().equals(p.getIdentifier())));
		await().atMost(Duration.ofSeconds(30)).until(() -> stored(done) == 0);
	}

	@Test
	void a_rolled_back_transaction_leaves_no_publication() {
		List<TargetEventPublication> created = List.of(publication("rolled-back"));
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			created.forEach(repository::create);
			status.setRollbackOnly();
		});
		assertThat(stored(created)).isZero();
	}

	private long stored(List<TargetEventPublication> publications) {
		return mongo.getCollection(BatchedEventPublications.COLLECTION).countDocuments(new Document("_id",
				new Document("$in", publications.stream().map(TargetEventPublication::getIdentifier).toList())));
	}

	private Document storedDocument(TargetEventPublication publication) {
		return mongo.getCollection(BatchedEventPublications.COLLECTION)
				.find(new Document("_id", publication.getIdentifier())).first();
	}

	private long scansOfRegistry() {
		return embedded.server().store().scans().getOrDefault("fidelis." + BatchedEventPublications.COLLECTION, 0L);
	}
}
