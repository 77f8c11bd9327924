package io.fidelis.members.adapter.in.graphql;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.application.CardStock;
import io.fidelis.members.application.ReplacingCards;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.application.Refusal;

/** Lost, stolen or damaged cards, and pre-printed card stock. */
@Controller
class CardNumberController {

	private final ReplacingCards replacing;
	private final CardStock stock;

	CardNumberController(ReplacingCards replacing, CardStock stock) {
		this.replacing = replacing;
		this.stock = stock;
	}

	record ReportCardInput(String memberId, String cardNumber, String reason) {
	}

	record ReportCardPayload(MemberProfile member, String blockedCardNumber, boolean replayed) {
	}

	record IssueCardStockInput(String programId, String batchId, Integer count) {
	}

	record CardStockBatch(String programId, String batchId, List<String> cardNumbers, String issuedAt,
			boolean replayed) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	ReportCardPayload reportCard(@Argument ReportCardInput input, @AuthenticationPrincipal Caller caller) {
		ReplacingCards.Outcome outcome = replacing.reportCard(caller, Ids.member(input.memberId()),
				new CardNumber(input.cardNumber()), input.reason());
		if (outcome instanceof ReplacingCards.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		ReplacingCards.Outcome.Replaced replaced = (ReplacingCards.Outcome.Replaced) outcome;
		return new ReportCardPayload(MemberController.profile(replaced.member()), replaced.blockedCardNumber(),
				replaced.replayed());
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	IssueCardStockPayload issueCardStock(@Argument IssueCardStockInput input, @AuthenticationPrincipal Caller caller) {
		CardStock.Outcome outcome = stock.issue(caller, Ids.program(input.programId()), input.batchId(),
				input.count() == null ? 0 : input.count());
		if (outcome instanceof CardStock.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		CardStock.Outcome.Issued issued = (CardStock.Outcome.Issued) outcome;
		return new IssueCardStockPayload(batch(issued));
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	CardStockBatch cardStockBatch(@Argument String programId, @Argument String batchId, @AuthenticationPrincipal Caller caller) {
		CardStock.Outcome outcome = stock.batch(caller, Ids.program(programId), batchId);
		if (outcome instanceof CardStock.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return batch((CardStock.Outcome.Issued) outcome);
	}

	/** A print run's numbers in print order, up to 1,000 a page (a run holds up to 10,000). */
	@SchemaMapping(typeName = "CardStockBatch")
	ListConnection<String> cardNumbers(CardStockBatch batch, @Argument Integer first, @Argument String after) {
		return ListConnection.of(batch.cardNumbers(), number -> number, first == null ? 100 : first, after, 1_000,
				InvalidInput::new);
	}

	private static CardStockBatch batch(CardStock.Outcome.Issued issued) {
		return new CardStockBatch(issued.batch().programId().value(), issued.batch().batchId(),
				issued.batch().cardNumbers(), issued.batch().issuedAt().toString(), issued.replayed());
	}

	record IssueCardStockPayload(CardStockBatch batch) {
	}
}
