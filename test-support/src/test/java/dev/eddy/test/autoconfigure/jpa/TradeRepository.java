package dev.eddy.test.autoconfigure.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of trades, created by the slice. */
public interface TradeRepository extends JpaRepository<Trade, Long> {

	long countBySymbol(String symbol);

}
