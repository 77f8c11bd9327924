package io.fidelis.reporting.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberIdentifier;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramDefined;
import io.fidelis.members.ProgramId;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.Activity.Kind;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Totals;

/**
 * A settled batch of points is counted in one call: every activity of it is folded before the
 * call returns, in writes of at most {@link RecordingActivity#BATCH} activities, and a failed
 * write fails the call, so the listener is handed the batch again.
 */
class RecordingActivityTest {

	static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

	final List<List<ReportStore.Folding>> folded = new ArrayList<>();
	RuntimeException failing;

	final ReportStore store = new ReportStore() {
		@Override
		public void fold(Activity activity, LocalDate day) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Firsts claimFirsts(String program, String member, LocalDate day, String activityId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void foldAll(List<Folding> batch) {
			if (failing != null) {
				throw failing;
			}
			folded.add(batch);
		}

		@Override
		public Map<String, Firsts> claimFirstsAll(List<FirstsClaim> claims) {
			return Map.of();
		}

		@Override
		public Map<LocalDate, DayFigures> days(String program, LocalDate from, LocalDate to) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Totals totals(String program) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Activity> activities(String program) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void replace(String program, Map<LocalDate, DayFigures> days, Totals totals) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Optional<ReportSettings> settings(String program) {
			return Optional.empty();
		}

		@Override
		public void save(ReportSettings settings) {
			throw new UnsupportedOperationException();
		}
	};

	final MemberDirectory directory = new MemberDirectory() {
		@Override
		public boolean isSelf(Caller.Member caller, MemberId id) {
			return false;
		}

		@Override
		public boolean isActive(MemberId id) {
			return true;
		}

		@Override
		public Optional<ProgramId> programOf(MemberId id) {
			return Optional.empty();
		}

		@Override
		public Optional<MemberProfile> profileOf(MemberId id) {
			return Optional.empty();
		}

		@Override
		public Optional<String> tierOf(MemberId id) {
			return Optional.empty();
		}

		@Override
		public MemberIdentifier.Identified identify(ProgramId program, MemberIdentifier identifier) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Optional<ProgramDefined> programDefinition(ProgramId program) {
			return Optional.empty();
		}

		@Override
		public Optional<ZoneId> timeZoneOf(ProgramId program) {
			return Optional.of(ZoneId.of("Europe/Paris"));
		}
	};

	/** Begins and commits nothing: the store above has no transactions of its own. */
	static final class NoTransactions extends AbstractPlatformTransactionManager {
		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}
	}

	final RecordingActivity recording = new RecordingActivity(store, directory, new NoTransactions());

	static List<Activity> issued(int count) {
		return IntStream.rangeClosed(1, count).mapToObj(v -> new Activity("points:m_ann:" + v, "acme", Kind.ISSUED,
				"m_ann", T0, 10, "FR", "IN_STORE", null, null, null, null, false, false, false)).toList();
	}

	@Test
	void a_batch_longer_than_one_write_is_folded_whole_before_the_call_returns() {
		List<Activity> batch = issued(2 * RecordingActivity.BATCH + 7);

		recording.recordAll(batch);

		assertThat(folded).extracting(List::size).containsExactly(RecordingActivity.BATCH, RecordingActivity.BATCH, 7);
		assertThat(folded.stream().flatMap(List::stream).map(f -> f.activity().id()))
				.containsExactlyElementsOf(batch.stream().map(Activity::id).toList());
		assertThat(folded.get(0).get(0).day()).isEqualTo(LocalDate.parse("2026-12-04"));
	}

	@Test
	void a_failed_write_fails_the_call_so_the_batch_is_handed_again() {
		failing = new IllegalStateException("store away");

		assertThatThrownBy(() -> recording.recordAll(issued(3))).isSameAs(failing);
		assertThat(folded).isEmpty();

		failing = null;
		recording.recordAll(issued(3));
		assertThat(folded).singleElement().satisfies(b -> assertThat(b).hasSize(3));
	}
}
