package io.fidelis.points;

import java.math.BigDecimal;
import java.util.List;

import io.fidelis.members.ProgramId;

/** A program's coalition partners and what they settle per point, for settlement reports. */
public interface Partners {

	List<PartnerTerms> partnersOf(ProgramId program);

	/**
	 * @param issueCost what the partner pays the program for each point its customers earned
	 * @param redemptionValue what the program pays the partner for each point spent with it
	 */
	record PartnerTerms(String partnerId, String name, BigDecimal issueCost, BigDecimal redemptionValue,
			String settlementCurrency) {
	}
}
