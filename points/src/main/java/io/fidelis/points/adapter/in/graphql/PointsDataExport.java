package io.fidelis.points.adapter.in.graphql;

import java.util.List;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.MemberDataExport;
import io.fidelis.points.application.PointsPrivacy;
import io.fidelis.points.application.PurchaseBook;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;

/**
 * The points module's sections of a member's data export: the account, the whole ledger, the
 * credits held, the purchases recorded. The members module decided who may ask; the export
 * reaches these fields only through it.
 */
@Controller
class PointsDataExport {

	private final PointsPrivacy privacy;

	PointsDataExport(PointsPrivacy privacy) {
		this.privacy = privacy;
	}

	@SchemaMapping(typeName = "MemberDataExport")
	PointsAccount points(MemberDataExport export) {
		return privacy.account(export.memberId()).orElse(null);
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<Entry> ledger(MemberDataExport export) {
		return privacy.ledger(export.memberId());
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<Lot> pointsLots(MemberDataExport export) {
		return privacy.lots(export.memberId());
	}

	record PurchaseLine(String sku, String bought, String earned, String returned) {
	}

	record PurchaseReturn(String returnId, long points) {
	}

	record RecordedPurchase(String orderId, String client, long points, long takenBack, String channel, String region,
			String store, String partner, List<PurchaseLine> lines, List<PurchaseReturn> returns) {
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<RewardsController.RedemptionView> rewardRedemptions(MemberDataExport export) {
		return privacy.rewardRedemptions(export.memberId()).stream().map(RewardsController.RedemptionView::of).toList();
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<RecordedPurchase> purchases(MemberDataExport export) {
		return privacy.purchases(export.memberId()).stream().map(PointsDataExport::view).toList();
	}

	private static RecordedPurchase view(PurchaseBook.Recorded p) {
		var s = p.source();
		return new RecordedPurchase(p.orderId(), p.client(), p.points(), p.takenBack(),
				s == null ? null : s.channel().name(), s == null ? null : s.region(), s == null ? null : s.store(),
				s == null ? null : s.partner(),
				p.lines().entrySet().stream().map(l -> new PurchaseLine(l.getKey(), l.getValue().bought().toPlainString(),
						l.getValue().earned().stripTrailingZeros().toPlainString(), l.getValue().returned().toPlainString()))
						.toList(),
				p.returns().entrySet().stream().map(r -> new PurchaseReturn(r.getKey(), r.getValue())).toList());
	}

	@SchemaMapping(typeName = "PointsLot")
	String transactionId(Lot lot) {
		return lot.transaction();
	}

	@SchemaMapping(typeName = "PointsLot")
	String channel(Lot lot) {
		return lot.source() == null ? null : lot.source().channel().name();
	}

	@SchemaMapping(typeName = "PointsLot")
	String region(Lot lot) {
		return lot.source() == null ? null : lot.source().region();
	}

	@SchemaMapping(typeName = "PointsLot")
	String store(Lot lot) {
		return lot.source() == null ? null : lot.source().store();
	}

	@SchemaMapping(typeName = "PointsLot")
	String partner(Lot lot) {
		return lot.source() == null ? null : lot.source().partner();
	}
}
