package io.fidelis.points;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * A till or web shop recorded a purchase (once per client and order id): what was bought, where,
 * and the points it earned. Offers and CRM tools learn a member's behaviour from it.
 *
 * @param available      the member's available points once the purchase was credited
 * @param accountVersion the points account's version after the purchase's entry (as
 *                       {@link PointsMovement#version()}), 0 when it earned nothing: a listener
 *                       keeping the balance takes it only if newer than what it holds, and then
 *                       need not write the same balance again when the movement is settled
 */
public record PurchaseRecorded(MemberId memberId, ProgramId programId, String orderId, String client, String store,
		String partner, String channel, String region, String currency, BigDecimal total, List<Line> lines,
		long points, Instant at, long available, long accountVersion) {

	public record Line(String sku, String category, BigDecimal quantity, BigDecimal amount) {
	}
}
