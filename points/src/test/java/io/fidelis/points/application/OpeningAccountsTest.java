package io.fidelis.points.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsAccountOpened;
import io.fidelis.points.domain.PointsAccount;

class OpeningAccountsTest {

	final Map<String, PointsAccount> stored = new HashMap<>();
	final AccountStore store = new AccountStore() {
		public boolean openIfAbsent(PointsAccount account) {
			return stored.putIfAbsent(account.memberId(), account) == null;
		}

		public Map<String, PointsAccount> findAll(Collection<String> ids) {
			Map<String, PointsAccount> found = new HashMap<>();
			ids.forEach(id -> { if (stored.containsKey(id)) found.put(id, stored.get(id)); });
			return found;
		}
	};
	final List<Object> published = new ArrayList<>();
	final OpeningAccounts opening = new OpeningAccounts(store, published::add,
			Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC));

	@Test
	void anEnrollmentHeardTwiceOpensOneEmptyAccountAndSaysSoOnce() {
		MemberId member = new MemberId("m_1");
		opening.open(member, new ProgramId("acme"));
		opening.open(member, new ProgramId("acme"));

		assertThat(stored).containsOnlyKeys("m_1");
		assertThat(stored.get("m_1").balance()).isZero();
		assertThat(published).containsExactly(
				new PointsAccountOpened(member, new ProgramId("acme"), Instant.parse("2026-11-27T09:00:00Z")));
	}
}
