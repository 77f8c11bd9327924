package io.fidelis.points.application;

/** Balances read from a test's store, for tests outside this package. */
public final class TestReadings {

	private TestReadings() {
	}

	public static ReadingBalances over(AccountStore accounts) {
		return new ReadingBalances(accounts, null, java.time.Clock.systemUTC());
	}
}
