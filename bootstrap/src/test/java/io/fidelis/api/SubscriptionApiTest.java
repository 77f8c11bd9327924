package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;

import reactor.core.publisher.Mono;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/** Subscriptions over WebSocket (graphql-ws), authenticated by the token in connection_init. */
class SubscriptionApiTest extends ApiTest {

	static final String FOLLOW = "subscription($id: ID!) { pointsAccount(memberId: $id) { available openedAt } }";

	WebSocketGraphQlClient socket(String token) {
		WebSocketGraphQlClient.Builder<?> builder = WebSocketGraphQlClient.builder("ws://localhost:" + port + "/graphql-ws",
				new ReactorNettyWebSocketClient());
		if (token != null) {
			builder.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			});
		}
		return builder.build();
	}

	String enrolledSelf(String memberToken) {
		String program = program("acme");
		graphQl(memberToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute();
		return graphQl(memberToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
	}

	@Test
	void aMemberFollowsTheirOwnBalance() {
		String dana = member("dana-" + key());
		String id = enrolledSelf(dana);

		Long balance = socket(dana).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15));

		assertThat(balance).isZero();
	}

	@Test
	void staffFollowAnyBalance() {
		String id = enrolledSelf(member("erin-" + key()));
		assertThat(socket(staffAdmin()).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15))).isZero();
	}

	@Test
	void anotherMemberOrNobodyIsRefused() {
		String id = enrolledSelf(member("frank-" + key()));

		assertThatThrownBy(() -> socket(member("mallory")).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class,
						e -> assertThat(e.getErrors()).singleElement().satisfies(
								error -> assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN")));
		assertThatThrownBy(() -> socket(null).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class,
						e -> assertThat(e.getErrors()).singleElement().satisfies(
								error -> assertThat(error.getExtensions()).containsEntry("code", "UNAUTHENTICATED")));
	}

	@Test
	void anInvalidTokenClosesTheConnection() {
		assertThatThrownBy(() -> socket("forged.token.value").document(FOLLOW).variable("id", "m_x").retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOf(org.springframework.graphql.client.GraphQlTransportException.class)
				.hasMessageContaining("code=4401");
	}
}
