package io.fidelis.cards.application;

import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.CardDesign;

/** Each program's card design, or the standard one until staff set theirs. */
@Service
public class Designs {

	private final CardStore cards;

	Designs(CardStore cards) {
		this.cards = cards;
	}

	public CardDesign of(String programId) {
		return cards.design(programId).orElseGet(() -> CardDesign.standard(programId, programId));
	}
}
