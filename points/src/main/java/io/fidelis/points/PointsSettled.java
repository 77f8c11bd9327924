package io.fidelis.points;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The movements the ledger settled together, for many accounts at once. Listeners are handed a
 * batch once rather than each movement on its own: every hand-over costs a stored publication
 * per listener and a listener invocation, which was most of an earn's work after its answer.
 * The movements travel grouped by kind, so the event stays plain JSON in the event registry;
 * {@link #movements()} gives them back in the order each account made them.
 */
public record PointsSettled(List<PointsEarned> earned, List<PointsRedeemed> redeemed, List<PointsAdjusted> adjusted,
		List<PointsReversed> reversed, List<PointsActivated> activated, List<PointsExpired> expired,
		List<PointsTransferred> transferred) {

	public PointsSettled {
		earned = earned == null ? List.of() : List.copyOf(earned);
		redeemed = redeemed == null ? List.of() : List.copyOf(redeemed);
		adjusted = adjusted == null ? List.of() : List.copyOf(adjusted);
		reversed = reversed == null ? List.of() : List.copyOf(reversed);
		activated = activated == null ? List.of() : List.copyOf(activated);
		expired = expired == null ? List.of() : List.copyOf(expired);
		transferred = transferred == null ? List.of() : List.copyOf(transferred);
	}

	/** The movements, each put with its kind. */
	public static PointsSettled of(Collection<? extends PointsMovement> movements) {
		List<PointsEarned> earned = new ArrayList<>();
		List<PointsRedeemed> redeemed = new ArrayList<>();
		List<PointsAdjusted> adjusted = new ArrayList<>();
		List<PointsReversed> reversed = new ArrayList<>();
		List<PointsActivated> activated = new ArrayList<>();
		List<PointsExpired> expired = new ArrayList<>();
		List<PointsTransferred> transferred = new ArrayList<>();
		for (PointsMovement m : movements) {
			if (m instanceof PointsEarned e) {
				earned.add(e);
			}
			else if (m instanceof PointsRedeemed r) {
				redeemed.add(r);
			}
			else if (m instanceof PointsAdjusted a) {
				adjusted.add(a);
			}
			else if (m instanceof PointsReversed r) {
				reversed.add(r);
			}
			else if (m instanceof PointsActivated a) {
				activated.add(a);
			}
			else if (m instanceof PointsExpired e) {
				expired.add(e);
			}
			else if (m instanceof PointsTransferred t) {
				transferred.add(t);
			}
		}
		return new PointsSettled(earned, redeemed, adjusted, reversed, activated, expired, transferred);
	}

	/** Every movement, per member in the order the account made them (by version). */
	public List<PointsMovement> movements() {
		List<PointsMovement> all = new ArrayList<>(count());
		all.addAll(earned);
		all.addAll(redeemed);
		all.addAll(adjusted);
		all.addAll(reversed);
		all.addAll(activated);
		all.addAll(expired);
		all.addAll(transferred);
		all.sort(Comparator.comparing((PointsMovement m) -> m.memberId().value())
				.thenComparingLong(PointsMovement::version));
		return all;
	}

	/** How many movements the batch holds. */
	public int count() {
		return earned.size() + redeemed.size() + adjusted.size() + reversed.size() + activated.size() + expired.size()
				+ transferred.size();
	}
}
