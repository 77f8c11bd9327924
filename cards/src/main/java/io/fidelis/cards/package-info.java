/**
 * Cards: Apple Wallet and Google Wallet loyalty cards that follow the points. Built in its own
 * issue; the module exists so that the module graph and its rules hold from the start.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cards", allowedDependencies = { "members", "points" })
package io.fidelis.cards;
