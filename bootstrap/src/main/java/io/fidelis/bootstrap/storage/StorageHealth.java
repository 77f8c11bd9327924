package io.fidelis.bootstrap.storage;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.MongoDatabaseFactory;

/**
 * MongoDB health as a {@code ping}, which both a real deployment and the embedded server answer
 * (Boot's own indicator sends {@code hello}, which the embedded server refuses).
 */
final class StorageHealth extends AbstractHealthIndicator {

	private final MongoDatabaseFactory factory;
	private final boolean embedded;

	StorageHealth(MongoDatabaseFactory factory, boolean embedded) {
		super("MongoDB health check failed");
		this.factory = factory;
		this.embedded = embedded;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Document pong = factory.getMongoDatabase().runCommand(new Document("ping", 1));
		builder.up().withDetail("mode", embedded ? "embedded" : "external")
				.withDetail("database", factory.getMongoDatabase().getName())
				.withDetail("ok", pong.get("ok"));
	}
}
