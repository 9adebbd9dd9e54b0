// CohortGrid bookkeeping when it grows past a cell that holds exactly 0.0.
#include <gtest/gtest.h>

#include "../../core/src/book/cohort_grid.hpp"

using backstop::detail::CohortGrid;

TEST(CohortGrid, GrowingKeepsCellsThatHoldZero) {
  CohortGrid g;
  g.add(0, 0.0);  // occupied, quantity 0 (as after an underflow in renormalise)
  g.add(1, 2.0);
  g.add(100000, 3.0);  // far away: the grid grows and moves its cells
  EXPECT_EQ(g.lowest(), 0);
  EXPECT_EQ(g.highest(), 100000);
  EXPECT_DOUBLE_EQ(g.take(100000), 3.0);
  EXPECT_EQ(g.highest(), 1);
  EXPECT_DOUBLE_EQ(g.take(1), 2.0);
  EXPECT_EQ(g.highest(), 0);  // the zero cell is still found (it was lost, then scanDown ran off the array)
  EXPECT_DOUBLE_EQ(g.take(0), 0.0);
  EXPECT_TRUE(g.empty());
  EXPECT_DOUBLE_EQ(g.total(), 0.0);
}
