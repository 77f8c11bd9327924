package io.fidelis.points.application;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Store;

/** A program's stores, coalition partners and category rates, as staff set them. */
@Service
public class ManagingMerchants {

	private final PurchaseBook book;
	private final SettingRules rules;

	ManagingMerchants(PurchaseBook book, SettingRules rules) {
		this.book = book;
		this.rules = rules;
	}

	/** Empty when {@code caller} may work on the program and it exists. */
	public Optional<Refusal> refusal(Caller caller, ProgramId program) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, program);
		if (outOfReach.isPresent()) {
			return outOfReach;
		}
		if (rules.rules(program.value()).isEmpty()) {
			return Optional.of(new Refusal(Refusal.Reason.NOT_FOUND, "There is no program '" + program + "'"));
		}
		return Optional.empty();
	}

	public void defineStore(Store store) {
		book.saveStore(store);
	}

	public void definePartner(Partner partner) {
		book.savePartner(partner);
	}

	public void setCategoryRates(String programId, List<CategoryRate> rates) {
		if (rates.size() > 200) {
			throw new InvalidPoints("rates", "At most 200 category rates");
		}
		if (new HashSet<>(rates.stream().map(CategoryRate::category).toList()).size() != rates.size()) {
			throw new InvalidPoints("rates", "Each category has one rate; the list names one twice");
		}
		book.saveCategoryRates(programId, rates);
	}

	public List<Store> stores(String programId) {
		return book.stores(programId);
	}

	public List<Partner> partners(String programId) {
		return book.partners(programId);
	}

	public List<CategoryRate> categoryRates(String programId) {
		return List.copyOf(book.categoryRates(programId).values());
	}
}
