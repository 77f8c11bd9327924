package io.fidelis.points.application;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsAccountOpened;
import io.fidelis.points.domain.PointsAccount;

/** Every member gets a points account when they enroll; opening twice changes nothing. */
@Service
public class OpeningAccounts {

	private final AccountStore accounts;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	OpeningAccounts(AccountStore accounts, ApplicationEventPublisher events, Clock clock) {
		this.accounts = accounts;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	public void open(MemberId member, ProgramId program) {
		PointsAccount account = PointsAccount.open(member.value(), program.value(), clock.instant());
		if (accounts.openIfAbsent(account)) {
			events.publishEvent(new PointsAccountOpened(member, program, account.openedAt()));
		}
	}
}
