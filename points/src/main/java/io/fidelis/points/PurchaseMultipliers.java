package io.fidelis.points;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * Offer multipliers on a purchase (2× on a category or store), supplied by the module that runs
 * offers. Keys name what a multiplier applies to: a sku, {@code category:<name>}, or {@code *} for
 * the whole purchase. Without any supplier, purchases earn at the program's rates.
 */
public interface PurchaseMultipliers {

	Map<String, BigDecimal> multipliersFor(MemberId member, ProgramId program, String store, String partner,
			String channel, List<String> skus, List<String> categories);
}
