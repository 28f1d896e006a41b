"""The pure model of customer journeys: aggregates, events, value objects and versioned rules."""
