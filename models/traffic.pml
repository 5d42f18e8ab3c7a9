/* traffic.pml - the reservation protocol of src/core/traffic.h, for spin.
 *
 * The road: yard W - two-lane edge LA - passing place P0 - single-lane
 * block B1 (three edges, two inner nodes) - passing bay P1 - block B2 (two
 * edges, one inner node) - P2 - two-lane edge LB - yard E.  Thirteen cells,
 * W to E, edges and nodes alternating:
 *   0 LA  1 P0  2 e1a  3 m1a  4 e1b  5 m1b  6 e1c  7 P1  8 e2a  9 m2  10 e2b
 *   11 P2  12 LB
 * Two-lane cells (0 1 7 11 12) have a lane or spot per direction, the others
 * one.  N vehicles start in either yard and drive TRIPS trips, each to the
 * other yard, turning in the yard.  As in the controller:
 *   - a grant step is atomic: the next edge with its end spot, or a whole
 *     block with the spot at its far end, only when every cell is free or
 *     the vehicle's own, and for a block only when no vehicle of the other
 *     direction holds a cell in it and no older waiter of the other
 *     direction is eligible (its far-end spot is free);
 *   - it releases an edge when its front reaches the node after it (the
 *     node's spot holds the whole vehicle), a node when its rear has cleared
 *     it (at any time while the front is on the next edge, or at the next
 *     node at the latest), and everything when it parks in the yard;
 *   - requests and moves interleave freely (any lookahead).
 * Checked: safety (monitor below: every cell under a vehicle is held by it,
 * and no two vehicles of opposite directions are inside one block) and
 * deadlock (an invalid end state: some vehicle blocked before its trips are
 * done).  Run by ctest (models/traffic_check.sh), which also checks that a
 * broken variant (-DPAIRWISE_GRANTS) fails. */

#ifndef N
#define N 3
#endif
#ifndef TRIPS
#define TRIPS 2
#endif

#define FREE 255
#define NONE 255
#define EAST 0
#define WEST 1

byte own[26];    /* [cell * 2 + lane]: holder or FREE */
byte bcnt[4];     /* [block * 2 + dir]: cells held in the block by that direction */
byte wblk[N];    /* block the vehicle waits to enter, or NONE */
byte wseq[N];    /* its place in the waiting order */
byte seq;
bit dirv[N];     /* EAST or WEST */
byte pos[N];     /* 0 in the start yard, p: front on route cell p - 1, 14 parked */
byte g[N];       /* route cells granted: 0 .. 13 */

#define ISTWO(c)     ((c) == 0 || (c) == 1 || (c) == 7 || (c) == 11 || (c) == 12)
#define SLOT(c, d)   (ISTWO(c) -> (c) * 2 + (d) : (c) * 2)
#define BLOCK(c)     (((c) >= 2 && (c) <= 6) -> 0 : (((c) >= 8 && (c) <= 10) -> 1 : NONE))
#define CELL(v, i)   (dirv[v] == EAST -> (i) : 12 - (i))
#define HELD(v, i)   (own[SLOT(CELL(v, i), dirv[v])] == v)
#define FREEFOR(v, i) (own[SLOT(CELL(v, i), dirv[v])] == FREE || own[SLOT(CELL(v, i), dirv[v])] == v)

/* Route cells granted when a vehicle stands at a block entry, and the block
 * it enters from there. */
#define ATENTRY(v)   (g[v] == 2 || (dirv[v] == EAST && g[v] == 8) || (dirv[v] == WEST && g[v] == 6))
#define STEPBLOCK(v) (BLOCK(CELL(v, g[v] + 1)))
/* Far-end spot of block b for vehicle x: P1 or P0 for B1, P2 or P1 for B2. */
#define EXITCELL(x, b) ((b) == 0 -> (dirv[x] == EAST -> 7 : 1) : (dirv[x] == EAST -> 11 : 7))
#define FREE4(v, i)  (FREEFOR(v, i) && FREEFOR(v, (i) + 1) && FREEFOR(v, (i) + 2) && FREEFOR(v, (i) + 3))
#define FREE6(v, i)  (FREE4(v, i) && FREEFOR(v, (i) + 4) && FREEFOR(v, (i) + 5))
#define ELIGIBLE(x, b) (own[SLOT(EXITCELL(x, b), dirv[x])] == FREE || own[SLOT(EXITCELL(x, b), dirv[x])] == x)
#define MYSEQ(v, b)  (wblk[v] == (b) -> wseq[v] : 255)
#define OLDER(x, v, b) ((x) < N && (x) != (v) && wblk[x] == (b) && dirv[x] != dirv[v] && \
                        wseq[x] < MYSEQ(v, b) && ELIGIBLE(x, b))
#define OPEN(v, b)   (bcnt[(b) * 2 + 1 - dirv[v]] == 0 && !OLDER(0, v, b) && !OLDER(1, v, b) && \
                      !OLDER(2, v, b) && !OLDER(3, v, b))

inline take(v, i) {
    c = CELL(v, i);
    if
    :: own[SLOT(c, dirv[v])] != v ->
        own[SLOT(c, dirv[v])] = v;
        if
        :: BLOCK(c) != NONE -> bcnt[BLOCK(c) * 2 + dirv[v]]++
        :: else -> skip
        fi
    :: else -> skip
    fi
}

inline give(v, i) {
    c = CELL(v, i);
    assert(own[SLOT(c, dirv[v])] == v);
    own[SLOT(c, dirv[v])] = FREE;
    if
    :: BLOCK(c) != NONE -> bcnt[BLOCK(c) * 2 + dirv[v]]--
    :: else -> skip
    fi
}

proctype vehicle(byte v) {
    byte trips = 0, c;
    do
    :: trips == TRIPS -> break
    :: else ->
        pos[v] = 0;
        g[v] = 0;
        do
        /* LA and P0 (or LB and P2) */
        :: atomic { g[v] == 0 && FREEFOR(v, 0) && FREEFOR(v, 1) -> take(v, 0); take(v, 1); g[v] = 2 }
#ifndef PAIRWISE_GRANTS
        /* arriving at a block: queue, then wait for the whole block and
         * the spot after it (B1 is six cells with P1 or P0, B2 four) */
        :: atomic { ATENTRY(v) && wblk[v] == NONE -> seq++; wseq[v] = seq; wblk[v] = STEPBLOCK(v) }
        :: atomic { ATENTRY(v) && wblk[v] == 0 && OPEN(v, 0) && FREE6(v, g[v]) ->
                take(v, g[v]); take(v, g[v] + 1); take(v, g[v] + 2); take(v, g[v] + 3);
                take(v, g[v] + 4); take(v, g[v] + 5); wblk[v] = NONE; g[v] = g[v] + 6 }
        :: atomic { ATENTRY(v) && wblk[v] == 1 && OPEN(v, 1) && FREE4(v, g[v]) ->
                take(v, g[v]); take(v, g[v] + 1); take(v, g[v] + 2); take(v, g[v] + 3);
                wblk[v] = NONE; g[v] = g[v] + 4 }
#else
        /* the negative control (traffic_check.sh): blocks granted an edge
         * and a node at a time; spin must find two directions in a block */
        :: atomic { g[v] >= 2 && g[v] <= 10 && FREEFOR(v, g[v]) && FREEFOR(v, g[v] + 1) ->
                take(v, g[v]); take(v, g[v] + 1); g[v] = g[v] + 2 }
#endif
        /* the last edge into the yard */
        :: atomic { g[v] == 12 && FREEFOR(v, 12) -> take(v, 12); g[v] = 13 }
        /* drive one cell.  Cells alternate edge (even) and node (odd).  A
         * node's spot is a bay or lane that holds the whole vehicle: with
         * the front on a node the edge behind is free, and so is the node
         * before it if the rear has not cleared it yet */
        :: atomic { pos[v] < g[v] -> pos[v]++;
                if
                :: (pos[v] - 1) % 2 == 1 ->
                    give(v, pos[v] - 2);
                    if
                    :: pos[v] >= 4 && HELD(v, pos[v] - 3) -> give(v, pos[v] - 3)
                    :: else -> skip
                    fi
                :: else -> skip
                fi }
        /* on an edge, the rear clears the node behind (the gap is kept) */
        :: atomic { pos[v] >= 3 && pos[v] <= 13 && (pos[v] - 1) % 2 == 0 && HELD(v, pos[v] - 2) ->
                give(v, pos[v] - 2) }
        /* park in the yard: off the road */
        :: atomic { pos[v] == 13 && g[v] == 13 -> pos[v] = 14;
                if
                :: HELD(v, 11) -> give(v, 11)
                :: else -> skip
                fi;
                give(v, 12) }
        :: pos[v] == 14 -> break
        od;
        atomic { trips++; dirv[v] = 1 - dirv[v] }
    od
}

/* Safety: the cell under a vehicle's front is held by it, and a block
 * never has vehicles of both directions in it (front, or rear over the node
 * behind the front while that node is still held). */
#define ON(v)        (v < N && pos[v] >= 1 && pos[v] <= 13)
#define STANDS(v)    (!ON(v) || HELD(v, pos[v] - 1))
#define INB(v, b)    (ON(v) && (BLOCK(CELL(v, pos[v] - 1)) == (b) || \
                      (pos[v] >= 2 && HELD(v, pos[v] - 2) && BLOCK(CELL(v, pos[v] - 2)) == (b))))
#define APART(v, w, b) (!(INB(v, b) && INB(w, b) && dirv[v] != dirv[w]))
#define PAIRS(b)     (APART(0, 1, b) && APART(0, 2, b) && APART(0, 3, b) && APART(1, 2, b) && \
                      APART(1, 3, b) && APART(2, 3, b))
#define SAFE         (STANDS(0) && STANDS(1) && STANDS(2) && STANDS(3) && PAIRS(0) && PAIRS(1))

active proctype monitor() {
end:
    atomic { !SAFE -> assert(false) }
}

init {
    byte i;
    atomic {
        i = 0;
        do
        :: i < 26 -> own[i] = FREE; i++
        :: else -> break
        od;
        i = 0;
        do
        :: i < N -> wblk[i] = NONE; dirv[i] = i % 2; i++
        :: else -> break
        od;
        i = 0;
        do
        :: i < N -> run vehicle(i); i++
        :: else -> break
        od
    }
}
