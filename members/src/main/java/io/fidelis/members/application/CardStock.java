package io.fidelis.members.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.Program;

/**
 * Pre-printed physical cards. A batch draws numbers with the program's prefix and holds them (as
 * claims owned by the batch) until an enrollment at the till activates one; so a printed number can
 * never be drawn for somebody else in the meantime.
 */
@Service
public class CardStock {

	static final String OWNER_PREFIX = "stock_";
	public static final int MAX_BATCH = 10_000;

	private final MemberStore members;
	private final ProgramStore programs;
	private final Clock clock;
	private final RandomGenerator random = new java.security.SecureRandom();

	CardStock(MemberStore members, ProgramStore programs, Clock clock) {
		this.members = members;
		this.programs = programs;
		this.clock = clock;
	}

	/** @param cardNumbers in the order they were drawn (the print order) */
	public record Batch(String batchId, ProgramId programId, List<String> cardNumbers, Instant issuedAt,
			String issuedBy) {
	}

	public sealed interface Outcome {
		record Issued(Batch batch, boolean replayed) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	static boolean isStock(MemberId owner) {
		return owner.value().startsWith(OWNER_PREFIX);
	}

	/**
	 * Draws {@code count} new card numbers for a print run named {@code batchId}. Asking again with
	 * the same batch id answers the batch already drawn, so a timed-out request can be retried.
	 */
	public Outcome issue(Caller staff, ProgramId programId, String batchId, int count) {
		if (batchId == null || !batchId.matches("[A-Za-z0-9._-]{1,64}")) {
			throw new InvalidInput("batchId", "batchId must be 1 to 64 letters, digits or . _ -");
		}
		if (count < 1 || count > MAX_BATCH) {
			throw new InvalidInput("count", "A batch holds 1 to " + MAX_BATCH + " cards, not " + count);
		}
		Optional<Refusal> outOfReach = Refusal.outOfReach(staff, programId);
		if (outOfReach.isPresent()) {
			return new Outcome.Refused(outOfReach.get());
		}
		Optional<Program> program = programs.find(programId);
		if (program.isEmpty()) {
			return new Outcome.Refused(Refusal.notFound("There is no program '" + programId + "'"));
		}
		Optional<Batch> existing = members.stockBatch(programId, batchId);
		if (existing.isPresent()) {
			return replay(existing.get(), count);
		}
		MemberId owner = new MemberId(OWNER_PREFIX + programId.value() + "_" + batchId);
		Instant now = clock.instant();
		Set<String> drawn = new LinkedHashSet<>();
		while (drawn.size() < count) {
			CardNumber candidate = CardNumber.generate(program.get().cardPrefix(), random);
			if (!drawn.contains(candidate.value())
					&& members.claimCard(programId, candidate, owner, "stock", now)) {
				drawn.add(candidate.value());
			}
		}
		Batch batch = new Batch(batchId, programId, new ArrayList<>(drawn), now, staff.key());
		if (!members.addStockBatch(batch)) {
			// a concurrent request with the same batch id won; its numbers are the batch (ours stay unused)
			return replay(members.stockBatch(programId, batchId).orElseThrow(), count);
		}
		return new Outcome.Issued(batch, false);
	}

	/** A print run already drawn, for staff who may reach its program; empty when there is none. */
	public Outcome batch(Caller staff, ProgramId programId, String batchId) {
		Optional<Refusal> outOfReach = Refusal.outOfReach(staff, programId);
		if (outOfReach.isPresent()) {
			return new Outcome.Refused(outOfReach.get());
		}
		return members.stockBatch(programId, batchId == null ? "" : batchId).<Outcome>map(b -> new Outcome.Issued(b, true))
				.orElseGet(() -> new Outcome.Refused(Refusal.notFound("There is no print run '" + batchId + "'")));
	}

	private static Outcome replay(Batch batch, int count) {
		if (batch.cardNumbers().size() != count) {
			return new Outcome.Refused(Refusal.conflict("Batch '" + batch.batchId() + "' already exists with "
					+ batch.cardNumbers().size() + " cards"));
		}
		return new Outcome.Issued(batch, true);
	}
}
