package io.fidelis.offers.application;

import java.time.ZoneOffset;

import org.springframework.stereotype.Service;

import io.fidelis.members.ProgramId;
import io.fidelis.offers.domain.Offer;

/**
 * The scheduled trigger: members who stopped buying. Re-runnable and idempotent: a member is
 * judged once per spell of inactivity (keyed by the day of their last purchase), however often the
 * schedule runs.
 */
@Service
public class RunningSchedules {

	private final OfferStore store;
	private final AssigningOffers assigning;

	RunningSchedules(OfferStore store, AssigningOffers assigning) {
		this.store = store;
		this.assigning = assigning;
	}

	@org.springframework.transaction.annotation.Transactional
	public int inactivity(ProgramId program) {
		boolean any = assigning.catalog(program.value()).stream().anyMatch(o -> o.trigger() == Offer.Trigger.INACTIVITY);
		if (!any) {
			return 0;
		}
		int[] assigned = { 0 };
		store.eachFacts(program.value(), facts -> {
			if (facts.lastPurchaseAt() != null) {
				String spell = "inactive-since:" + facts.lastPurchaseAt().atZone(ZoneOffset.UTC).toLocalDate();
				assigned[0] += assigning.judge(facts, Offer.Trigger.INACTIVITY, spell, null).size();
			}
		});
		return assigned[0];
	}

	/**
	 * Members whose birthday month it is, judged for BIRTHDAY offers once a year each (keyed by the
	 * year), however often the schedule runs.
	 */
	@org.springframework.transaction.annotation.Transactional
	public int birthdays(ProgramId program, java.time.Instant now) {
		boolean any = assigning.catalog(program.value()).stream().anyMatch(o -> o.trigger() == Offer.Trigger.BIRTHDAY);
		if (!any) {
			return 0;
		}
		var today = now.atZone(ZoneOffset.UTC);
		int[] assigned = { 0 };
		store.eachFacts(program.value(), facts -> {
			if (facts.birthMonth() != null && facts.birthMonth() == today.getMonthValue()) {
				assigned[0] += assigning.judge(facts, Offer.Trigger.BIRTHDAY, "birthday:" + today.getYear(), null).size();
			}
		});
		return assigned[0];
	}

	/** Every program with offers: the inactivity and birthday schedules. */
	public int everywhere(java.util.Set<String> programs, java.time.Instant now) {
		return programs.stream().mapToInt(p -> inactivity(new ProgramId(p)) + birthdays(new ProgramId(p), now)).sum();
	}
}
