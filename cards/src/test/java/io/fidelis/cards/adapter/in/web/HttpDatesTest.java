package io.fidelis.cards.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The PassKit web service's HTTP dates, as RFC 9110 (5.6.7) has them. */
class HttpDatesTest {

	@Test
	void datesAreWrittenAsImfFixdateWithATwoDigitDayInGmt() {
		assertThat(PassKitWebService.format(Instant.parse("2026-12-01T09:05:03.750Z"))).isEqualTo("Tue, 01 Dec 2026 09:05:03 GMT");
		assertThat(PassKitWebService.format(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
	}

	@Test
	void allThreeFormatsAreRead() {
		Instant expected = Instant.parse("1994-11-06T08:49:37Z");
		assertThat(PassKitWebService.httpDate("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(expected);
		assertThat(PassKitWebService.httpDate("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(expected);
		assertThat(PassKitWebService.httpDate("Sun Nov  6 08:49:37 1994")).isEqualTo(expected);
		// what this service wrote before (a one-digit day) is still read
		assertThat(PassKitWebService.httpDate("Tue, 1 Dec 2026 09:05:03 GMT")).isEqualTo(Instant.parse("2026-12-01T09:05:03Z"));
	}

	@Test
	void anythingElseIsNoDateAndIsIgnored() {
		assertThat(PassKitWebService.httpDate(null)).isNull();
		assertThat(PassKitWebService.httpDate("  ")).isNull();
		assertThat(PassKitWebService.httpDate("yesterday")).isNull();
		assertThat(PassKitWebService.httpDate("2026-12-01T09:05:03Z")).isNull();
		assertThat(PassKitWebService.httpDate("Sun, 06 Nov 1994 08:49:37 CET")).isNull();
	}
}
