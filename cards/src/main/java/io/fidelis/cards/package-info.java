/**
 * Cards: Apple Wallet and Google Wallet loyalty cards that follow the member's points and tier.
 * Card numbers themselves (prefix, Luhn digit, loss and replacement, pre-printed stock) belong to
 * members, who identify people by them; this module puts them in the wallets.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cards", allowedDependencies = { "members", "points" })
package io.fidelis.cards;
