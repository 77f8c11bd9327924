package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;

import graphql.GraphQLError;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.MergedField;
import graphql.language.Field;
import graphql.execution.ResultPath;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.Scalars;

/** An unexpected failure reaches the client as INTERNAL with an id, never with its message or stack. */
class UnexpectedErrorsTest {

	final DataFetchingEnvironment env = DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
			.executionStepInfo(ExecutionStepInfo.newExecutionStepInfo().type(Scalars.GraphQLString)
					.path(ResultPath.parse("/member")).build())
			.mergedField(MergedField.newMergedField(Field.newField("member").build()).build())
			.build();

	@Test
	void aSurpriseBecomesInternalWithAnIdAndNoDetail() {
		List<GraphQLError> errors = new UnexpectedErrors()
				.resolveException(new IllegalStateException("password=hunter2 at db-7"), env).block();

		assertThat(errors).singleElement().satisfies(error -> {
			assertThat(error.getExtensions()).containsEntry("code", "INTERNAL").containsKey("errorId");
			assertThat(error.getMessage()).contains(error.getExtensions().get("errorId").toString())
					.doesNotContain("hunter2").doesNotContain("IllegalStateException");
		});
	}

	@Test
	void aStoreFailureHiddenBehindAFailedRollbackIsStillUnavailable() {
		var dropped = new com.mongodb.MongoSocketReadException("Connection reset",
				new com.mongodb.ServerAddress("127.0.0.1", 27017));
		var rollback = new org.springframework.transaction.TransactionSystemException("rollback failed");
		rollback.initApplicationException(dropped);
		var other = new IllegalStateException("cleanup failed");
		other.addSuppressed(dropped);

		for (Throwable e : List.of(dropped, new RuntimeException("wrapped", dropped), rollback, other)) {
			assertThat(new UnexpectedErrors().resolveException(e, env).block()).as(e.toString()).singleElement()
					.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "UNAVAILABLE")
							.doesNotContainKey("errorId"));
		}
		assertThat(new UnexpectedErrors().resolveException(new org.springframework.transaction.TransactionSystemException(
				"commit failed"), env).block()).singleElement()
				.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "INTERNAL"));
	}

	@Test
	void securityRefusalsAreLeftToTheSecurityResolver() {
		assertThat(new UnexpectedErrors().resolveException(new AccessDeniedException("no"), env).block()).isNull();
	}

	@Test
	void subscriptionSurprisesAreHiddenToo() {
		List<GraphQLError> errors = new UnexpectedSubscriptionErrors()
				.resolveException(new IllegalStateException("secret")).block();
		assertThat(errors).singleElement().satisfies(error -> {
			assertThat(error.getExtensions()).containsEntry("code", "INTERNAL");
			assertThat(error.getMessage()).doesNotContain("secret");
		});
	}
}
