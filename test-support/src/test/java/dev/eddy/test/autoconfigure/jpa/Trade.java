package dev.eddy.test.autoconfigure.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A booked trade: the entity of the {@code @DataJpaTest} slice. */
@Entity
public class Trade {

	@Id
	@GeneratedValue
	private Long id;

	private String symbol;

	private int quantity;

	protected Trade() {
	}

	Trade(String symbol, int quantity) {
		this.symbol = symbol;
		this.quantity = quantity;
	}

	public String getSymbol() {
		return this.symbol;
	}

	public int getQuantity() {
		return this.quantity;
	}

}
