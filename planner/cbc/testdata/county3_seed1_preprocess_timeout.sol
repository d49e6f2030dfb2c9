Integer infeasible - objective value -25173.99846375
      0 Y0                     1              -31.430137
     15 Y15           0.48398947                       0
     17 Y17           0.51601053                       0
