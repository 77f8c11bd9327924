package io.fidelis.cards.application;

import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.CardDesign;

/** Each program's card design, or the standard one until staff set theirs. */
@Service
public class Designs {

	private final CardStore cards;
	private final io.fidelis.members.MemberDirectory members;
	private final io.fidelis.points.ProgramStores stores;

	Designs(CardStore cards, io.fidelis.members.MemberDirectory members, io.fidelis.points.ProgramStores stores) {
		this.cards = cards;
		this.members = members;
		this.stores = stores;
	}

	/** The program's placed stores, the first {@link io.fidelis.cards.domain.CardPlace#MOST} by store id (Apple's limit). */
	public java.util.List<io.fidelis.cards.domain.CardPlace> placesOf(String programId) {
		return stores.placesOf(new io.fidelis.members.ProgramId(programId)).stream()
				.limit(io.fidelis.cards.domain.CardPlace.MOST)
				.map(p -> new io.fidelis.cards.domain.CardPlace(p.name(), p.latitude(), p.longitude())).toList();
	}

	/** The staff's design, or the standard one with the program's name (its id while members knows none). */
	public CardDesign of(String programId) {
		return cards.design(programId).orElseGet(() -> CardDesign.standard(programId, members
				.programDefinition(new io.fidelis.members.ProgramId(programId)).map(io.fidelis.members.ProgramDefined::name)
				.orElse(programId)));
	}
}
