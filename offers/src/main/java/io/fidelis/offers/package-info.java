/**
 * Offers: personalized offers triggered by what members do. A catalog per program; member facts
 * kept from events; offers judged on purchases, enrollments, tier changes and an inactivity
 * schedule, each assignment recording why; multipliers priced into purchases through the points
 * module's {@code PurchaseMultipliers} port, bonuses paid through its {@code OfferBonusAwarded}
 * event, rewards through {@code PointsSpending}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Offers", allowedDependencies = { "members", "points" })
package io.fidelis.offers;
