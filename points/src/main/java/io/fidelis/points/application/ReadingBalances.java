package io.fidelis.points.application;

import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.points.domain.PointsAccount;

/** Reads one member's account for a caller allowed to see it: the member, staff, or an integration with points:read. */
@Service
public class ReadingBalances {

	private final AccountStore accounts;
	private final MemberDirectory directory;

	ReadingBalances(AccountStore accounts, MemberDirectory directory) {
		this.accounts = accounts;
		this.directory = directory;
	}

	public boolean mayRead(Caller caller, MemberId member) {
		if (caller instanceof Caller.Member self) {
			return directory.isSelf(self, member);
		}
		if (caller instanceof Caller.IntegrationClient client) {
			return client.scopes().contains("points:read");
		}
		return caller instanceof Caller.Staff;
	}

	/** The account as stored now; empty until it is opened. */
	public Optional<PointsAccount> account(MemberId member) {
		return Optional.ofNullable(accounts.findAll(java.util.List.of(member.value())).get(member.value()));
	}
}
