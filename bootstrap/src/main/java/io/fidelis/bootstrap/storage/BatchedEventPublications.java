package io.fidelis.bootstrap.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.modulith.events.support.CompletionMode;

/**
 * Spring Modulith's MongoDB event publication registry, completing a publication by its
 * {@code _id} alone. The stock repository deletes with {@code {_id, completionDate: null}}, which
 * the embedded store can only answer by reading the whole collection, once per listener per
 * event (and the collection grows while listeners lag behind). In delete mode a completed
 * publication no longer exists, so the {@code _id} says everything. All else is the stock
 * repository's, so publications keep its format and its behaviour inside MongoDB transactions.
 */
final class ExactKeyEventPublications implements EventPublicationRepository {

	/** The stock repository's collection. */
	static final String COLLECTION = "event_publication";

	private final EventPublicationRepository stock;
	private final MongoTemplate template;
	private final CompletionMode mode;

	ExactKeyEventPublications(EventPublicationRepository stock, MongoTemplate template, CompletionMode mode) {
		this.stock = stock;
		this.template = template;
		this.mode = mode;
	}

	@Override
	public void markCompleted(UUID identifier, Instant completionDate) {
		if (mode == CompletionMode.DELETE) {
			template.remove(Query.query(Criteria.where("_id").is(identifier)), COLLECTION);
		}
		else {
			stock.markCompleted(identifier, completionDate);
		}
	}

	@Override
	public void markCompleted(TargetEventPublication publication, Instant completionDate) {
		markCompleted(publication.getIdentifier(), completionDate);
	}

	@Override
	public TargetEventPublication create(TargetEventPublication publication) {
		return stock.create(publication);
	}

	@Override
	public void markProcessing(UUID identifier) {
		stock.markProcessing(identifier);
	}

	@Override
	public void markCompleted(Object event, PublicationTargetIdentifier identifier, Instant completionDate) {
		stock.markCompleted(event, identifier, completionDate);
	}

	@Override
	public void markFailed(UUID identifier) {
		stock.markFailed(identifier);
	}

	@Override
	public boolean markResubmitted(UUID identifier, Instant resubmissionDate) {
		return stock.markResubmitted(identifier, resubmissionDate);
	}

	@Override
	public List<TargetEventPublication> findIncompletePublications() {
		return stock.findIncompletePublications();
	}

	@Override
	public List<TargetEventPublication> findIncompletePublicationsPublishedBefore(Instant instant) {
		return stock.findIncompletePublicationsPublishedBefore(instant);
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
