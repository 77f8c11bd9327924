package io.fidelis.points.application;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsAccountOpened;
import io.fidelis.points.PointsAccountsOpened;
import io.fidelis.points.domain.PointsAccount;

/** Every member gets a points account when they enroll; opening twice changes nothing. */
@Service
public class OpeningAccounts {

	private final AccountStore accounts;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	private final BalanceFeed feed;

	OpeningAccounts(AccountStore accounts, ApplicationEventPublisher events, Clock clock, BalanceFeed feed) {
		this.feed = feed;
		this.accounts = accounts;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	public void open(MemberId member, ProgramId program) {
		PointsAccount account = PointsAccount.open(member.value(), program.value(), clock.instant());
		if (accounts.openIfAbsent(account)) {
			events.publishEvent(new PointsAccountOpened(member, program, account.openedAt()));
			feed.changed(List.of(member.value())); // someone may follow the balance before it exists
		}
	}

	/** Opens a batch of enrolled members' accounts in one write, announced in one event. */
	@Transactional
	public void openAll(List<MemberEnrolled> enrolled) {
		List<PointsAccount> opened = accounts.openAllIfAbsent(enrolled.stream()
				.map(e -> PointsAccount.open(e.memberId().value(), e.programId().value(), clock.instant())).toList());
		if (!opened.isEmpty()) {
			events.publishEvent(new PointsAccountsOpened(opened.stream().map(a -> new PointsAccountOpened(
					new MemberId(a.memberId()), new ProgramId(a.programId()), a.openedAt())).toList()));
			feed.changed(opened.stream().map(PointsAccount::memberId).toList());
		}
	}
}
