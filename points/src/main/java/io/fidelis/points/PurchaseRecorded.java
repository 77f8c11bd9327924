package io.fidelis.points;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * A till or web shop recorded a purchase (once per client and order id): what was bought, where,
 * and the points it earned. Offers and CRM tools learn a member's behaviour from it.
 */
public record PurchaseRecorded(MemberId memberId, ProgramId programId, String orderId, String client, String store,
		String partner, String channel, String region, String currency, BigDecimal total, List<Line> lines,
		long points, Instant at) {

	public record Line(String sku, String category, BigDecimal quantity, BigDecimal amount) {
	}
}
