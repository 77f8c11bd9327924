package io.fidelis.offers;

import java.util.List;

import io.fidelis.members.ProgramId;

/** Each offer's performance in a program, for reporting: how often assigned, activated, redeemed, and the points it moved. */
public interface OfferFigures {

	List<Figures> figuresOf(ProgramId program);

	record Figures(String offerId, String name, String kind, long assigned, long activated, long redeemed, long pointsSpent,
			long pointsAwarded) {
	}
}
