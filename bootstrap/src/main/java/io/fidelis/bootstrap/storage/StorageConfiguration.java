package io.fidelis.bootstrap.storage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.bson.UuidRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.support.CompletionMode;
import org.springframework.transaction.PlatformTransactionManager;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * One MongoClient for the whole application, pointed at the configured deployment or at the
 * embedded server, and the transaction manager that module events need.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class StorageConfiguration {

	private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedMongo embeddedMongo(StorageProperties properties) {
		return new EmbeddedMongo(properties.isEmbedded() ? new EmbeddedMongoServer(properties.embedded()) : null);
	}

	@Bean(destroyMethod = "close")
	MongoClient mongoClient(StorageProperties properties, EmbeddedMongo embedded,
			ObjectProvider<io.micrometer.observation.ObservationRegistry> observations,
			@org.springframework.beans.factory.annotation.Value("${management.tracing.export.enabled:false}") boolean tracing,
			ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
		String uri = properties.isEmbedded() ? embedded.server().connectionString() : properties.uri();
		MongoClientSettings.Builder builder = MongoClientSettings.builder();
		io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
		if (registry != null) {
			// the driver's own figures: mongodb_driver_commands_seconds by command, collection and status;
			// mongodb_driver_pool_size, _checkedout and _waitqueuesize per server
			builder.addCommandListener(new io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener(registry))
					.applyToConnectionPoolSettings(pool -> pool.addConnectionPoolListener(
							new io.micrometer.core.instrument.binder.mongodb.MongoMetricsConnectionPoolListener(registry)));
		}
		if (tracing) {
			// each command a step of the trace that runs it (an observation per command: only with tracing on)
			io.micrometer.observation.ObservationRegistry observing = observations.getObject();
			builder.contextProvider(org.springframework.data.mongodb.observability.ContextProviderFactory.create(observing))
					.addCommandListener(new org.springframework.data.mongodb.observability.MongoObservationCommandListener(
							observing, new ConnectionString(uri)));
		}
		MongoClientSettings settings = builder
				// fail fast when the store is gone (the driver's default waits 30 s); the URI may say otherwise
				.applyToClusterSettings(c -> c.serverSelectionTimeout(properties.failFastAfter().toMillis(),
						TimeUnit.MILLISECONDS))
				.applyToSocketSettings(s -> s.connectTimeout(2, TimeUnit.SECONDS)
						.readTimeout((int) properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS))
				.applyConnectionString(new ConnectionString(uri))
				// the event publication registry stores UUIDs
				.uuidRepresentation(UuidRepresentation.STANDARD)
				.applicationName("fidelis")
				.build();
		return MongoClients.create(settings);
	}

	/**
	 * On the embedded store the adapters' everyday commands run in-process
	 * ({@link LocalDatabaseFactory}); with {@code fidelis.mongodb.embedded.in-process=false} they go
	 * through the driver and the wire, as every other node sharing the store does.
	 */
	@Bean
	MongoDatabaseFactory mongoDatabaseFactory(MongoClient client, StorageProperties properties, EmbeddedMongo embedded,
			ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters,
			ObjectProvider<io.micrometer.observation.ObservationRegistry> observations,
			@org.springframework.beans.factory.annotation.Value("${management.tracing.export.enabled:false}") boolean tracing) {
		String database = properties.isEmbedded() ? properties.database()
				: firstNonBlank(new ConnectionString(properties.uri()).getDatabase(), properties.database());
		if (embedded.server() == null || !properties.embedded().inProcess()) {
			return new SimpleMongoClientDatabaseFactory(client, database);
		}
		InProcessStore store = new InProcessStore(embedded.server().store(), client.getDatabase(database).getCodecRegistry(),
				true, // the client's UUIDs are standard (mongoClient)
				new com.mongodb.ServerAddress(new ConnectionString(embedded.server().connectionString()).getHosts().get(0)),
				meters.getIfAvailable(), tracing ? observations.getObject() : null);
		log.info("The embedded store serves this node in-process");
		return new LocalDatabaseFactory(client, database, store);
	}

	/**
	 * {@code @ApplicationModuleListener}s run after a commit, so every module write that publishes
	 * events must run in a Spring transaction. On every store that transaction only drives Spring's
	 * synchronization; no MongoDB transaction is opened, not even on a replica set. Fidelis is built
	 * on single-document writes that answer a race or a retry with an error it catches: a claim's
	 * duplicate key, a version that moved. Inside a MongoDB transaction either error aborts the whole
	 * transaction on the server (a duplicate key does so even when caught, MongoDB's DRIVERS-2584),
	 * so a retried request with the same idempotency key, or two tills crediting one account at
	 * once, would be answered with an error instead of the first result.
	 */
	@Bean
	PlatformTransactionManager transactionManager(StorageProperties properties) {
		if (properties.transactions() == StorageProperties.Transactions.ON) {
			throw new IllegalStateException("fidelis.mongodb.transactions=on is not supported: Fidelis writes one "
					+ "document at a time and relies on catching duplicate keys and moved versions, which abort a "
					+ "MongoDB transaction. Remove the setting (or set it to off).");
		}
		log.info("Module events commit without MongoDB transactions (single-document atomic writes)");
		return new SynchronizationOnlyTransactionManager();
	}

	@Bean
	MeterBinder embeddedStoreMetrics(EmbeddedMongo embedded) {
		return embedded.server() == null ? registry -> {
		} : new StoreMetrics(embedded.server().store());
	}

	/**
	 * Spring Modulith's MongoDB publication registry, writing in batches (see the class). Primary,
	 * so the event publication registry takes it; the stock repository (its class is not public)
	 * stays as the one it delegates to.
	 */
	@Bean
	@Primary
	BatchedEventPublications batchedEventPublications(
			@Qualifier("mongoDbEventPublicationRepository") EventPublicationRepository stock, MongoTemplate template,
			Environment environment) {
		return new BatchedEventPublications(stock, template, CompletionMode.from(environment),
				environment.getProperty("fidelis.events.sweep-every", Duration.class, Duration.ofMinutes(5)));
	}

	/** Named so that it replaces Boot's MongoDB health contributor. */
	@Bean
	StorageHealth mongoHealthContributor(MongoDatabaseFactory factory, StorageProperties properties) {
		return new StorageHealth(factory, properties.isEmbedded());
	}

	private static String firstNonBlank(String a, String b) {
		return a != null && !a.isBlank() ? a : b;
	}

	/** Holds the embedded server when there is one, so that it is closed after the client. */
	record EmbeddedMongo(EmbeddedMongoServer server) implements AutoCloseable {
		@Override
		public void close() {
			if (server != null) {
				server.close();
			}
		}
	}
}
