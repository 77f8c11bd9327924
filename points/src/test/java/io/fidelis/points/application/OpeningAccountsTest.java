package io.fidelis.points.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsAccountOpened;

class OpeningAccountsTest {

	final InMemoryAccountStore store = new InMemoryAccountStore();
	final List<Object> published = new ArrayList<>();
	final List<String> noted = new ArrayList<>();
	final OpeningAccounts opening = new OpeningAccounts(store, published::add,
			Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC), new BalanceFeed() {
				@Override
				public void changed(java.util.Collection<String> memberIds) {
					noted.addAll(memberIds);
				}

				@Override
				public java.util.Map<Long, List<String>> noted(java.util.Collection<Long> seconds) {
					return java.util.Map.of();
				}
			});

	@Test
	void anEnrollmentHeardTwiceOpensOneEmptyAccountAndSaysSoOnce() {
		MemberId member = new MemberId("m_1");
		opening.open(member, new ProgramId("acme"));
		opening.open(member, new ProgramId("acme"));

		assertThat(store.findAll(List.of("m_1"))).containsOnlyKeys("m_1");
		assertThat(store.find("m_1").orElseThrow().account().available()).isZero();
		assertThat(published).containsExactly(
				new PointsAccountOpened(member, new ProgramId("acme"), Instant.parse("2026-11-27T09:00:00Z")));
		assertThat(noted).as("a balance followed before its account opened hears of it, once").containsExactly("m_1");
	}
}
