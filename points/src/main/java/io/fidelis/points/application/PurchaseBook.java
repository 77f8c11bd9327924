package io.fidelis.points.application;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.Store;

/** Stores, partners, category rates and recorded purchases; exact keys only. */
public interface PurchaseBook {

	void saveStore(Store store);

	Optional<Store> store(String programId, String storeId);

	List<Store> stores(String programId);

	void savePartner(Partner partner);

	Optional<Partner> partner(String programId, String partnerId);

	List<Partner> partners(String programId);

	Map<String, CategoryRate> categoryRates(String programId);

	void saveCategoryRates(String programId, List<CategoryRate> rates);

	/**
	 * A purchase as recorded, keyed by the client that sent it and its order id. {@code lines} keep
	 * per sku the quantity bought, the exact points earned and the quantity returned so far;
	 * {@code returns} the return ids already applied, with the points each took back.
	 */
	/**
	 * @param returns      points each return took back, by its id
	 * @param returnInputs what each return asked for, by its id (its fingerprint), so that its id
	 *                     sent again with other lines is told apart from a retry; returns kept
	 *                     before this was recorded have none
	 */
	record Recorded(String client, String orderId, String programId, String memberId, String fingerprint,
			long points, Map<String, Line> lines, Map<String, Long> returns, long takenBack, long revision,
			io.fidelis.points.domain.Source source, Map<String, String> returnInputs) {

		public Recorded(String client, String orderId, String programId, String memberId, String fingerprint,
				long points, Map<String, Line> lines, Map<String, Long> returns, long takenBack, long revision,
				io.fidelis.points.domain.Source source) {
			this(client, orderId, programId, memberId, fingerprint, points, lines, returns, takenBack, revision, source,
					Map.of());
		}

		public record Line(BigDecimal bought, BigDecimal earned, BigDecimal returned) {
		}
	}

	/** False when the client already recorded that order. */
	boolean addPurchase(Recorded purchase);

	Optional<Recorded> purchase(String client, String orderId);

	/** Every purchase recorded for the member (their data export). */
	List<Recorded> purchasesOf(String memberId);

	/** Saves the purchase if it is still at {@code purchase.revision()}. */
	boolean updatePurchase(Recorded purchase);

	/** A transaction import's progress and row errors (at most the first 1,000). */
	record TransactionImport(String importId, String programId, String format, String status, int total,
			int processed, int recorded, int replayed, int failed, List<RowError> errors, java.time.Instant startedAt,
			java.time.Instant finishedAt) {
	}

	record RowError(int row, String field, String code, String message) {
	}

	/** False when an import with that id exists. */
	boolean startImport(TransactionImport started);

	void importProgress(String importId, int processed, int recorded, int replayed, List<RowError> errors);

	void finishImport(String importId, String status, java.time.Instant at);

	Optional<TransactionImport> transactionImport(String importId);
}
