package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Fidelis opens no MongoDB transaction on any store: a caught duplicate key aborts one on the
 * server, and a retried request would fail (see {@link StorageConfiguration#transactionManager}).
 * The setting that asked for them is refused at start-up rather than ignored.
 */
class NoMongoTransactionsTest {

	static StorageProperties bound(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("fidelis.mongodb", StorageProperties.class);
	}

	@Test
	void every_setting_but_on_gets_the_synchronization_only_manager() {
		for (Map<String, String> settings : java.util.List.of(Map.<String, String>of(),
				Map.of("fidelis.mongodb.transactions", "off"), Map.of("fidelis.mongodb.transactions", "auto"),
				Map.of("fidelis.mongodb.uri", "mongodb://db-1,db-2,db-3/fidelis?replicaSet=rs0"))) {
			assertThat(new StorageConfiguration().transactionManager(bound(settings))).as(settings.toString())
					.isInstanceOf(SynchronizationOnlyTransactionManager.class);
		}
	}

	@Test
	void on_is_refused_with_the_reason() {
		StorageProperties on = bound(Map.of("fidelis.mongodb.uri", "mongodb://db-1/fidelis?replicaSet=rs0",
				"fidelis.mongodb.transactions", "on"));
		assertThatThrownBy(() -> new StorageConfiguration().transactionManager(on)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("fidelis.mongodb.transactions=on is not supported")
				.hasMessageContaining("duplicate keys");
	}
}
