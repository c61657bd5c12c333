package dev.eddy.test.autoconfigure.jpa;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.FailOnUnobservedFailures;
import dev.eddy.test.autoconfigure.AutoConfigureEddy;
import dev.eddy.test.autoconfigure.jpa.TradeBook.Booked;
import dev.eddy.unobserved.UnobservedFailureDetector;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @DataJpaTest} with {@link AutoConfigureEddy}: Eddy's beans are in the JPA slice (over
 * embedded H2), and a {@code @RunOnExecutor @Transactional} service that returns a
 * {@code LoopFuture} books through the slice's repository on Eddy's executor, committing or
 * rolling back its own transaction there.
 * <p>{@code @DataJpaTest} wraps each test method in a transaction on JUnit's thread, which the
 * pool thread does not share: the test would not see what the service committed, and the service
 * would not see what the test wrote. So this test runs without it ({@code NOT_SUPPORTED}) and
 * cleans up after itself.
 */
@DataJpaTest
@AutoConfigureEddy
@FailOnUnobservedFailures
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import(TradeBook.class)
class AutoConfigureEddyDataJpaTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	TradeBook book;

	@Autowired
	TradeRepository trades;

	@AfterEach
	void deleteTrades() {
		this.trades.deleteAll();
	}

	@Test
	void whenSliceHasAutoConfigureEddyShouldHaveEddysBesideTheJpaBeans() {
		assertThat(this.context.getBean(EddyLoopAutoConfiguration.LOOP_BEAN)).isInstanceOf(EventLoop.class);
		assertThat(this.context.getBeanNamesForType(NamedExecutors.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(UnobservedFailureDetector.class))
			.containsExactly("eddyUnobservedFailureDetector");
		assertThat(this.context.getBeanNamesForType(EntityManagerFactory.class)).hasSize(1);
		assertThat(AopUtils.isAopProxy(this.book)).as("the @RunOnExecutor @Transactional service is proxied").isTrue();
	}

	@Test
	void whenTheServiceBooksShouldCommitOnThePoolThreadAndCompleteTheLoopFuture() throws Exception {
		LoopFuture<Booked> future = this.book.book("ACME", 5);
		Booked booked = future.toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(booked.thread()).startsWith("eddy-executor");
		assertThat(booked.inTransaction()).as("a transaction on the pool thread").isTrue();
		assertThat(booked.trades()).isEqualTo(1);
		assertThat(this.trades.countBySymbol("ACME")).as("committed, seen from the test's thread").isEqualTo(1);
	}

	@Test
	void whenTheBodyThrowsShouldFailTheLoopFutureAndRollBack() {
		LoopFuture<Booked> future = this.book.book("BOLT", 0);
		// Observing the failure here; @FailOnUnobservedFailures would fail a test that dropped it.
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.toCompletableFuture().get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessage("quantity must be positive, was 0");
		assertThat(this.trades.countBySymbol("BOLT")).as("rolled back").isZero();
	}

}
