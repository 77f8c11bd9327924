package io.fidelis.cards.application;

import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.CardDesign;

/** Each program's card design, or the standard one until staff set theirs. */
@Service
public class Designs {

	private final CardStore cards;
	private final io.fidelis.members.MemberDirectory members;

	Designs(CardStore cards, io.fidelis.members.MemberDirectory members) {
		this.cards = cards;
		this.members = members;
	}

	/** The staff's design, or the standard one with the program's name (its id while members knows none). */
	public CardDesign of(String programId) {
		return cards.design(programId).orElseGet(() -> CardDesign.standard(programId, members
				.programDefinition(new io.fidelis.members.ProgramId(programId)).map(io.fidelis.members.ProgramDefined::name)
				.orElse(programId)));
	}
}
