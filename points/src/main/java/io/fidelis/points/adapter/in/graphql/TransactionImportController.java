package io.fidelis.points.adapter.in.graphql;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.points.application.ImportingTransactions;
import io.fidelis.points.application.ManagingMerchants;
import io.fidelis.points.application.PurchaseBook;
import io.fidelis.points.domain.InvalidPoints;
import tools.jackson.databind.json.JsonMapper;

/** Historical transactions, imported in the background. */
@Controller
class TransactionImportController {

	private final ImportingTransactions imports;
	private final ManagingMerchants merchants;
	private final JsonMapper json = JsonMapper.builder().build();

	TransactionImportController(ImportingTransactions imports, ManagingMerchants merchants) {
		this.imports = imports;
		this.merchants = merchants;
	}

	record ImportTransactionsInput(String importId, String programId, ImportingTransactions.Format format, String content) {
	}

	record ImportTransactionsPayload(PurchaseBook.TransactionImport transactionImport) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	ImportTransactionsPayload importTransactions(@Argument ImportTransactionsInput input,
			@AuthenticationPrincipal Caller caller) {
		if (input.programId() == null || !input.programId().matches("[a-z0-9-]{2,63}")) {
			throw new InvalidPoints("programId", "'" + input.programId() + "' is not a program id");
		}
		ProgramId program = new ProgramId(input.programId());
		merchants.refusal(caller, program).ifPresent(r -> {
			throw new Refused(r);
		});
		@SuppressWarnings("unchecked")
		ImportingTransactions.Started started = imports.start(input.importId(), program, input.format(), input.content(),
				line -> (Map<String, Object>) json.readValue(line, Map.class));
		if (started instanceof ImportingTransactions.Started.Refused refused) {
			throw new Refused(refused.refusal());
		}
		return new ImportTransactionsPayload(((ImportingTransactions.Started.Accepted) started).transactionImport());
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	PurchaseBook.TransactionImport transactionImport(@Argument String importId, @AuthenticationPrincipal Caller caller) {
		return imports.find(importId == null ? "" : importId)
				.filter(t -> merchants.refusal(caller, new ProgramId(t.programId())).isEmpty()).orElse(null);
	}

	@SchemaMapping(typeName = "TransactionImport")
	double rowsPerSecond(PurchaseBook.TransactionImport t) {
		Instant until = t.finishedAt() != null ? t.finishedAt() : Instant.now();
		double seconds = Math.max(0.001, Duration.between(t.startedAt(), until).toMillis() / 1000.0);
		return Math.round(t.processed() / seconds * 10) / 10.0;
	}
}
