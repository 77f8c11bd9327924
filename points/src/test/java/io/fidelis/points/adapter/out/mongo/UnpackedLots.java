package io.fidelis.points.adapter.out.mongo;

import java.util.Date;
import java.util.List;

import org.bson.Document;

import io.fidelis.points.domain.Lot;

/** Lots as accounts stored them before they were packed: one subdocument per lot. */
final class UnpackedLots {

	private UnpackedLots() {
	}

	static List<Document> of(List<Lot> lots) {
		return lots.stream().map(UnpackedLots::of).toList();
	}

	static Document of(Lot l) {
		return new Document("id", l.id()).append("amount", l.amount()).append("remaining", l.remaining())
				.append("reversed", l.reversed()).append("pending", l.pending())
				.append("earnedAt", Date.from(l.earnedAt())).append("availableAt", Date.from(l.availableAt()))
				.append("expiresAt", l.expiresAt() == null ? null : Date.from(l.expiresAt()))
				.append("source", l.source() == null ? null : new Document("channel", l.source().channel().name())
						.append("region", l.source().region()).append("store", l.source().store())
						.append("partner", l.source().partner()).append("ref", l.source().externalReference()))
				.append("tx", l.transaction()).append("by", l.recordedBy());
	}
}
