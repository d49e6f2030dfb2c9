NAME          PARKPLAN
ROWS
 N  OBJ
 L  R0
 L  R1
 L  R2
 G  R3
 G  R4
 G  R5
 L  R6
 L  R7
 L  R8
 L  R9
 L  R10
 L  R11
 L  R12
 L  R13
 L  R14
 L  R15
 L  R16
 L  R17
 L  R18
 G  R19
 G  R20
 G  R21
 L  R22
 L  R23
 L  R24
 L  R25
 G  R26
 G  R27
 G  R28
 L  R29
 L  R30
 L  R31
 L  R32
 G  R33
 G  R34
 G  R35
 L  R36
 L  R37
 L  R38
 L  R39
 G  R40
 G  R41
 G  R42
 L  R43
 L  R44
 L  R45
 L  R46
 G  R47
 G  R48
 G  R49
 L  R50
 L  R51
 L  R52
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    Y0        OBJ               4.75
    Y0        R0                   1
    Y0        R3                   1
    Y0        R4                   1
    Y0        R6                   1
    Y0        R7                  45
    Y0        R18             -48000
    Y0        R22                 -1
    Y0        R23                 -1
    Y0        R24                 -2
    Y1        OBJ               4.75
    Y1        R0                   1
    Y1        R3                   1
    Y1        R4                   1
    Y1        R6                   1
    Y1        R7                  45
    Y1        R25             -48000
    Y1        R29                 -1
    Y1        R30                 -1
    Y1        R31                 -2
    Y2        OBJ               4.75
    Y2        R0                   1
    Y2        R3                   1
    Y2        R4                   1
    Y2        R6                   1
    Y2        R8                  45
    Y2        R18             -48000
    Y2        R22                 -1
    Y2        R23                 -1
    Y2        R24                 -2
    Y3        OBJ               4.75
    Y3        R0                   1
    Y3        R3                   1
    Y3        R4                   1
    Y3        R6                   1
    Y3        R8                  45
    Y3        R25             -48000
    Y3        R29                 -1
    Y3        R30                 -1
    Y3        R31                 -2
    Y4        OBJ               4.75
    Y4        R0                   1
    Y4        R6                   1
    Y4        R9                  45
    Y4        R18             -48000
    Y4        R22                 -1
    Y4        R23                 -1
    Y4        R24                 -2
    Y5        OBJ               4.75
    Y5        R0                   1
    Y5        R6                   1
    Y5        R9                  45
    Y5        R25             -48000
    Y5        R29                 -1
    Y5        R30                 -1
    Y5        R31                 -2
    Y6        OBJ               4.75
    Y6        R0                   1
    Y6        R6                   1
    Y6        R10                 45
    Y6        R18             -48000
    Y6        R22                 -1
    Y6        R23                 -1
    Y6        R24                 -2
    Y7        OBJ               4.75
    Y7        R0                   1
    Y7        R6                   1
    Y7        R10                 45
    Y7        R25             -48000
    Y7        R29                 -1
    Y7        R30                 -1
    Y7        R31                 -2
    Y8        OBJ                  0
    Y8        R3                   1
    Y8        R5                   1
    Y8        R32             -18000
    Y8        R36                 -1
    Y8        R37                 -1
    Y8        R38                 -2
    Y9        OBJ               6.25
    Y9        R1                   1
    Y9        R3                   1
    Y9        R5                   1
    Y9        R6                   1
    Y9        R11                 65
    Y9        R39       -69333.33333
    Y9        R43                 -1
    Y9        R44                 -1
    Y9        R45                 -2
    Y10       OBJ               6.25
    Y10       R1                   1
    Y10       R3                   1
    Y10       R5                   1
    Y10       R6                   1
    Y10       R12                 65
    Y10       R39       -69333.33333
    Y10       R43                 -1
    Y10       R44                 -1
    Y10       R45                 -2
    Y11       OBJ               6.25
    Y11       R1                   1
    Y11       R6                   1
    Y11       R13                 65
    Y11       R39       -69333.33333
    Y11       R43                 -1
    Y11       R44                 -1
    Y11       R45                 -2
    Y12       OBJ               6.25
    Y12       R1                   1
    Y12       R6                   1
    Y12       R14                 65
    Y12       R39       -69333.33333
    Y12       R43                 -1
    Y12       R44                 -1
    Y12       R45                 -2
    Y13       OBJ                0.8
    Y13       R2                   1
    Y13       R3                   1
    Y13       R5                   1
    Y13       R46             -25600
    Y13       R50                 -1
    Y13       R51                 -1
    Y13       R52                 -2
    Y14       OBJ                0.8
    Y14       R2                   1
    Y14       R3                   1
    Y14       R5                   1
    Y14       R46             -25600
    Y14       R50                 -1
    Y14       R51                 -1
    Y14       R52                 -2
    Y15       OBJ                0.8
    Y15       R2                   1
    Y15       R46             -25600
    Y15       R50                 -1
    Y15       R51                 -1
    Y15       R52                 -2
    Y16       OBJ                0.8
    Y16       R2                   1
    Y16       R46             -25600
    Y16       R50                 -1
    Y16       R51                 -1
    Y16       R52                 -2
    X17       OBJ       -77.31849659
    X17       R15                  1
    X17       R18               5000
    X17       R19                0.3
    X17       R20               1500
    X17       R21               -0.7
    X17       R22                  1
    X18       OBJ       -77.31849659
    X18       R15                  1
    X18       R25               5000
    X18       R26                0.3
    X18       R27               1500
    X18       R28               -0.7
    X18       R29                  1
    X19       OBJ       -24.77756832
    X19       R16                  1
    X19       R18               1500
    X19       R19               -0.7
    X19       R20              -1050
    X19       R21                0.3
    X19       R23                  1
    X20       OBJ       -24.77756832
    X20       R16                  1
    X20       R25               1500
    X20       R26               -0.7
    X20       R27              -1050
    X20       R28                0.3
    X20       R30                  1
    X21       OBJ       -17.52756832
    X21       R17                  1
    X21       R18               1000
    X21       R19               -0.7
    X21       R20               -700
    X21       R21                0.3
    X21       R24                  1
    X22       OBJ       -17.52756832
    X22       R17                  1
    X22       R25               1000
    X22       R26               -0.7
    X22       R27               -700
    X22       R28                0.3
    X22       R31                  1
    X23       OBJ       -75.61217081
    X23       R15                  1
    X23       R32               5000
    X23       R33               -0.7
    X23       R34              -3500
    X23       R35               -0.7
    X23       R36                  1
    X24       OBJ       -26.69126528
    X24       R16                  1
    X24       R32               1500
    X24       R33                0.3
    X24       R34                450
    X24       R35                0.3
    X24       R37                  1
    X25       OBJ       -19.44126528
    X25       R17                  1
    X25       R32               1000
    X25       R33                0.3
    X25       R34                300
    X25       R35                0.3
    X25       R38                  1
    X26       OBJ       -75.80469412
    X26       R15                  1
    X26       R39               5000
    X26       R40               -0.7
    X26       R41              -3500
    X26       R42               -0.7
    X26       R43                  1
    X27       OBJ       -26.51468534
    X27       R16                  1
    X27       R39               1500
    X27       R40                0.3
    X27       R41                450
    X27       R42                0.3
    X27       R44                  1
    X28       OBJ       -19.26468534
    X28       R17                  1
    X28       R39               1000
    X28       R40                0.3
    X28       R41                300
    X28       R42                0.3
    X28       R45                  1
    X29       OBJ       -75.40326602
    X29       R15                  1
    X29       R46               5000
    X29       R47               -0.7
    X29       R48              -3500
    X29       R49               -0.7
    X29       R50                  1
    X30       OBJ        -26.4425609
    X30       R16                  1
    X30       R46               1500
    X30       R47                0.3
    X30       R48                450
    X30       R49                0.3
    X30       R51                  1
    X31       OBJ        -19.1925609
    X31       R17                  1
    X31       R46               1000
    X31       R47                0.3
    X31       R48                300
    X31       R49                0.3
    X31       R52                  1
    MARKER                 'MARKER'                 'INTEND'
RHS
    RHS       R0                   1
    RHS       R1                   1
    RHS       R2                   1
    RHS       R3                  20
    RHS       R4                   1
    RHS       R5                   1
    RHS       R6                   6
    RHS       R8                  50
    RHS       R11                 20
    RHS       R12                 20
    RHS       R15                  1
    RHS       R16                  1
    RHS       R17                  2
BOUNDS
 UP BND       Y0                   1
 UP BND       Y1                   1
 UP BND       Y2                   1
 UP BND       Y3                   1
 UP BND       Y4                   1
 UP BND       Y5                   1
 UP BND       Y6                   1
 UP BND       Y7                   1
 FX BND       Y8                   1
 UP BND       Y9                   1
 UP BND       Y10                  1
 UP BND       Y11                  1
 UP BND       Y12                  1
 UP BND       Y13                  1
 UP BND       Y14                  1
 UP BND       Y15                  1
 UP BND       Y16                  1
 UP BND       X17                  1
 UP BND       X18                  1
 UP BND       X19                  1
 UP BND       X20                  1
 UP BND       X21                  2
 UP BND       X22                  2
 UP BND       X23                  1
 UP BND       X24                  1
 UP BND       X25                  2
 UP BND       X26                  1
 UP BND       X27                  1
 UP BND       X28                  2
 UP BND       X29                  1
 UP BND       X30                  1
 UP BND       X31                  2
ENDATA
