package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import io.fidelis.members.Caller;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Source;

/**
 * Random sequences of earn, redeem, adjust, reverse and transfer over a few members, with retries
 * of earlier keys mixed in, next to a simple model of what each should leave: the ledger tests'
 * property. Each request goes to the node {@code node} gives (one node, or either of two).
 */
final class RandomMovements {

	private RandomMovements() {
	}

	/**
	 * Sends {@code steps} random requests; checks that every retry answers as the first copy did
	 * (replayed) and every refusal is one the model allows; returns the balance the model expects
	 * of each member.
	 */
	static Map<String, Long> send(Random random, List<String> members, int steps, String transactions,
			Supplier<MovingPoints> node, Caller pos, Caller staff, Source till) {
		Map<String, Long> model = new HashMap<>();
		members.forEach(m -> model.put(m, 0L));
		Map<String, long[]> purchases = new HashMap<>(); // tx -> {member index, earned, reversed}
		List<Object[]> sent = new ArrayList<>(); // {movement, answer}

		for (int step = 0; step < steps; step++) {
			int who = random.nextInt(members.size());
			String member = members.get(who);
			long available = model.get(member);
			String key = UUID.randomUUID().toString();
			Movement movement;
			int kind = random.nextInt(6);
			if (kind == 5 && !sent.isEmpty()) {
				// a retry of an earlier request: same answer, no effect
				Object[] earlier = sent.get(random.nextInt(sent.size()));
				Movement again = (Movement) earlier[0];
				Moved answer = node.get().move(caller(again, pos, staff), again, false);
				assertThat(answer.getClass()).isEqualTo(earlier[1].getClass());
				if (answer instanceof Moved.Done done) {
					assertThat(done.entry()).isEqualTo(((Moved.Done) earlier[1]).entry());
					assertThat(done.replayed()).isTrue();
				}
				continue;
			}
			long points = 1 + random.nextInt(200);
			if (kind == 0) {
				String tx = transactions + step;
				movement = new Movement.Earn(member, points, null, null, till, tx, key);
				purchases.put(tx, new long[] { who, points, 0 });
				model.put(member, available + points);
			}
			else if (kind == 1) {
				movement = new Movement.Redeem(member, points, till, null, null, key);
				if (available >= points) {
					model.put(member, available - points);
				}
			}
			else if (kind == 2) {
				long signed = random.nextBoolean() ? points : -points;
				movement = new Movement.Adjust(member, signed, "correction", key);
				if (signed > 0 || available >= -signed) {
					model.put(member, available + signed);
				}
			}
			else if (kind == 3 && !purchases.isEmpty()) {
				String tx = new ArrayList<>(purchases.keySet()).get(random.nextInt(purchases.size()));
				long[] p = purchases.get(tx);
				member = members.get((int) p[0]);
				available = model.get(member);
				long left = p[1] - p[2];
				Long claim = random.nextBoolean() ? null : Math.min(points, Math.max(1, left));
				movement = new Movement.Reverse(member, tx, claim, "refund", key);
				long asked = claim == null ? left : claim;
				if (left > 0 && asked <= left) {
					model.put(member, available - Math.min(asked, available));
					p[2] += asked;
				}
			}
			else {
				String to = members.get((who + 1) % members.size());
				movement = new Movement.Transfer(member, to, points, null, key);
				if (available >= points) {
					model.put(member, available - points);
					model.put(to, model.get(to) + points);
				}
			}
			Moved answer = node.get().move(caller(movement, pos, staff), movement, false);
			sent.add(new Object[] { movement, answer });
			if (answer instanceof Moved.Refused refused) {
				assertThat(refused.refusal().reason()).isIn(Refusal.Reason.INSUFFICIENT_POINTS, Refusal.Reason.CONFLICT,
						Refusal.Reason.VALIDATION);
			}
		}
		return model;
	}

	private static Caller caller(Movement movement, Caller pos, Caller staff) {
		return movement instanceof Movement.Adjust || movement instanceof Movement.Transfer ? staff : pos;
	}
}
